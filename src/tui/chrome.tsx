import { Box, Text } from 'ink';
import { TABS, TAB_TITLES, type Tab } from './use-app-state.js';
import { oneLine } from './text.js';

interface HeaderProps {
  readonly tab: Tab;
  readonly dbPath: string;
  /** A run is going: its tab is marked. */
  readonly runActive: boolean;
}

/** The screens as numbered tabs, the current one highlighted, and the database. */
export function Header({ tab, dbPath, runActive }: HeaderProps) {
  return (
    <Box>
      <Text wrap="truncate">
        <Text bold>govbench </Text>
        {TABS.map((t, i) => (
          <Text key={t} inverse={t === tab} bold={t === tab}>
            {` ${i + 1} ${TAB_TITLES[t]}${t === 'live' && runActive ? ' ●' : ''} `}
          </Text>
        ))}
        <Text dimColor> {oneLine(dbPath)}</Text>
      </Text>
    </Box>
  );
}

/** Keys that work everywhere; each screen shows its own above. */
export function Footer({ quitting, runActive }: { readonly quitting: boolean; readonly runActive: boolean }) {
  if (quitting) return <Text color="yellow">{runActive ? 'quitting: stopping the run, saving the cases in flight…' : 'quitting…'}</Text>;
  return <Text dimColor wrap="truncate">1–5 or Tab: screens · q quit</Text>;
}

/** A screen's own keys, one dim line. */
export function Hint({ children }: { readonly children: string }) {
  return (
    <Text dimColor wrap="truncate">
      {children}
    </Text>
  );
}

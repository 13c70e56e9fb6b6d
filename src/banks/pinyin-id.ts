/** Kebab-case ids from Chinese names, through pinyin (pinyin-pro) and jieba words. */
import { pinyin } from 'pinyin-pro';
import { segment } from '../text/segment.js';

/** How many words of a long name go into its id: enough to recognise it, short enough to type. */
const MAX_ID_WORDS = 5;

/**
 * A kebab-case id for a name: one pinyin word per jieba word, without tones, bracketed asides dropped.
 * Returns '' when the name holds nothing to spell (no Han characters, letters or digits).
 * @example kebabIdFromName('渔业捕捞许可（核发）') === 'yuye-bulao-xuke'
 */
export function kebabIdFromName(name: string, maxWords = MAX_ID_WORDS): string {
  const core = name.replace(/[（(【\[《][^）)】\]》]*[）)】\]》]/g, ' ').trim() || name;
  const words = segment(core.toLowerCase())
    .map((w) => pinyin(w, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' }).join(''))
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]+/g, ''))
    .filter((w) => w.length > 0);
  return words.slice(0, maxWords).join('-');
}

/** A short prefix for question ids: the first letter of each part of a kebab-case id (`fishing-licence-issue` → `fli`). */
export function idPrefix(id: string): string {
  return id
    .split('-')
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 4);
}

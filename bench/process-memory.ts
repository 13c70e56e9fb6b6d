import { readdirSync, readFileSync } from 'node:fs';

export interface MemoryPeaks {
  /** This process's resident set, MB. */
  nodeMb: number;
  /** Its child processes (the browser and its renderers), as the sum of their proportional set sizes, MB. */
  childrenMb: number;
  /** The two together, at the sample where their sum peaked, MB. */
  totalMb: number;
  /** Child processes at that sample. */
  children: number;
}

const MB = 1024 * 1024;

/**
 * Samples the memory of this process and of every process below it (Linux /proc). Children are
 * counted by PSS, so pages that Chromium's processes share are counted once, not once per renderer
 * as summing their RSS would. Elsewhere only this process is measured.
 */
export function sampleMemory(everyMs = 500): { stop(): MemoryPeaks } {
  const peaks: MemoryPeaks = { nodeMb: 0, childrenMb: 0, totalMb: 0, children: 0 };
  const sample = (): void => {
    const nodeMb = process.memoryUsage.rss() / MB;
    const pids = descendants(process.pid);
    const childrenMb = pids.reduce((sum, pid) => sum + pssKb(pid) / 1024, 0);
    peaks.nodeMb = Math.max(peaks.nodeMb, nodeMb);
    peaks.childrenMb = Math.max(peaks.childrenMb, childrenMb);
    if (nodeMb + childrenMb > peaks.totalMb) {
      peaks.totalMb = nodeMb + childrenMb;
      peaks.children = pids.length;
    }
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const e of entries) {
    const stat = read(`/proc/${e}/stat`);
    // The name in parentheses may hold spaces and parentheses: the fields follow its last ')'.
    const ppid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isFinite(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
  }
  const out: number[] = [];
  for (let queue = [...(children.get(root) ?? [])]; queue.length > 0; ) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function pssKb(pid: number): number {
  const rollup = read(`/proc/${pid}/smaps_rollup`);
  const pss = rollup && /^Pss:\s+(\d+)/m.exec(rollup);
  if (pss) return Number(pss[1]);
  const status = read(`/proc/${pid}/status`);
  const rss = status && /^VmRSS:\s+(\d+)/m.exec(status);
  return rss ? Number(rss[1]) : 0;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process ended between listing and reading.
    return undefined;
  }
}

/** The judge whose verdict counts for a mode; a reviewer's decision overrides it in any mode. */
export function judgeOfRecord(mode: string): string {
  return mode === 'matcher' || mode === 'cascade' ? mode : 'llm';
}

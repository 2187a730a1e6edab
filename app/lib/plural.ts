/** "1 vote", "3 votes": a count with its noun (regular plurals, or the one given). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/**
 * The one clock. Everything in Cohort that depends on the time asks this module, so a
 * test can say "one second after the community closes" by setting it instead of sleeping.
 * Times are carried as Unix milliseconds (see docs/decisions/002-time-representation.md).
 */
let fixedAt: number | null = null;
let offsetMs = 0;

/** The current time in Unix milliseconds. */
export function now(): number {
  return fixedAt ?? Date.now() + offsetMs;
}

/** How far this clock runs ahead of the real time (0 unless a test set it), for libraries that read the real time themselves (Lucia). */
export function aheadOfRealTime(): number {
  return now() - Date.now();
}

/** Freeze the clock at a moment (tests). */
export function setClock(at: number | Date): void {
  fixedAt = typeof at === "number" ? at : at.getTime();
}

/** Move the clock forward (or back) by some milliseconds, frozen or not (tests). */
export function advanceClock(ms: number): void {
  if (fixedAt !== null) fixedAt += ms;
  else offsetMs += ms;
}

/** Back to the real time. */
export function resetClock(): void {
  fixedAt = null;
  offsetMs = 0;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Do some work as if it were a given moment (the demo seed writes its history this way), then put the clock back. */
export async function atTime<T>(at: number, work: () => Promise<T>): Promise<T> {
  const saved = { fixedAt, offsetMs };
  fixedAt = at;
  try {
    return await work();
  } finally {
    ({ fixedAt, offsetMs } = saved);
  }
}

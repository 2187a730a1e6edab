import { TZDate } from "@date-fns/tz";

/** The UTC calendar day of a time, "2026-03-04": for file names, CSV cells and keys by day. */
export function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Whether a string names an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * Whether a "YYYY-MM-DDTHH:mm" value names a real calendar date and clock time (no 30
 * February, hour 25, minute 61 or year 0000, which Date would quietly roll over into
 * another day). Years 1970–9999: times are Unix milliseconds.
 */
export function isLocalInput(value: string): boolean {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return false;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

/** "2026-03-03T09:00" read as a wall-clock time in a zone, to Unix milliseconds; null for an impossible date or an unknown zone. */
export function fromLocalInput(value: string, zone: string): number | null {
  if (!isLocalInput(value) || !isTimeZone(zone)) return null;
  const [, y, mo, d, h, mi] = LOCAL_INPUT.exec(value)!.map(Number) as [number, number, number, number, number, number];
  const date = new TZDate(y, mo - 1, d, h, mi, zone);
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}

/** Unix milliseconds to the "YYYY-MM-DDTHH:mm" a datetime-local input shows, in a zone. */
export function toLocalInput(at: number, zone: string): string {
  const date = new TZDate(at, zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// Building an Intl formatter costs far more than using one (a thread page formats a hundred
// dates), so each distinct formatter is built once per process. Locales and zones are few.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}

/** An absolute date and time in a zone: "Tuesday, 3 March 2026 at 09:00 CET". */
export function formatInZone(at: number, zone: string, locale = "en-GB"): string {
  return cached(`full ${locale} ${zone}`, () =>
    new Intl.DateTimeFormat(locale, {
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zone,
      timeZoneName: "short",
    }),
  ).format(at);
}

/** A date alone in a zone: "3 March 2026". */
export function formatDayInZone(at: number, zone: string, locale = "en-GB"): string {
  return cached(`day ${locale} ${zone}`, () => new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: zone })).format(at);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "in 3 days", "5 hours ago": the largest whole unit, rounded toward now. */
export function formatRelative(at: number, now: number, locale = "en"): string {
  const diff = at - now;
  const format = cached(`relative ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: "always" }));
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.trunc(diff / ms), unit);
  }
  return diff >= 0 ? "in less than a minute" : "less than a minute ago";
}

/** Every zone for a picker, UTC first (the runtime's list leaves it out). */
export function timeZoneOptions(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/**
 * How long until (or since) a moment, precise enough to act on: days from two days away,
 * hours from two hours, minutes below ("in 47 hours", "in 19 minutes"), where
 * formatRelative would round 47 hours down to "in 1 day". Reminders and the time box use it.
 */
export function formatCountdown(at: number, now: number, locale = "en"): string {
  const diff = at - now;
  const format = cached(`relative ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: "always" }));
  const size = Math.abs(diff);
  if (size >= 2 * 86_400_000) return format.format(Math.trunc(diff / 86_400_000), "day");
  if (size >= 2 * 3_600_000) return format.format(Math.trunc(diff / 3_600_000), "hour");
  if (size >= 60_000) return format.format(Math.trunc(diff / 60_000), "minute");
  return diff >= 0 ? "in less than a minute" : "less than a minute ago";
}

import { stringify } from "csv-stringify/sync";
import { now } from "./clock.ts";
import { isoDay } from "./dates.ts";

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, return) is prefixed with ' so it stays text. */
const safeCell = (value: string | number) => (typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * Rows as a CSV download a spreadsheet opens as it should: UTF-8 with a byte-order mark,
 * CRLF line ends, every string quoted, formulas defused; the filename gets today's date.
 */
export function csvResponse(rows: (string | number)[][], name: string): Response {
  const csv = stringify(
    rows.map((row) => row.map(safeCell)),
    { bom: true, record_delimiter: "windows", quoted_string: true },
  );
  const day = isoDay(now());
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}-${day}.csv"` },
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { boardFilters } from "#app/features/suggestions/schemas.ts";
import { boardCsvRows } from "#app/features/suggestions/suggestions.server.ts";
import { now } from "#app/lib/clock.ts";
import { getDb } from "#app/lib/db.server.ts";
import { siteOrigin } from "#app/lib/origin.server.ts";

/** The board, filtered as on screen, as a CSV a spreadsheet opens: UTF-8 with a byte-order mark, CRLF line ends. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.view");
  const rows = await boardCsvRows(getDb(), user, boardFilters(new URL(request.url).searchParams), siteOrigin(request));
  const csv = stringify(rows, { bom: true, record_delimiter: "windows", quoted_string: true });
  const day = new Date(now()).toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="cohort-suggestions-${day}.csv"`,
    },
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/features/auth/request.server.ts";
import { completionCsvRows, completionTable, CSV_PARTICIPANTS } from "#app/features/completion/completion.server.ts";
import { csvResponse } from "#app/lib/csv.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { completionFilters } from "#app/features/completion/filters.ts";

/** The completion table as CSV, with the page's filters: every participant (no paging), each prompt's state, the totals. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { query: _query, after: _after, ...filters } = completionFilters(new URL(request.url));
  const table = await orRespond(completionTable(getDb(), user, params.slug ?? "", filters, CSV_PARTICIPANTS));
  return csvResponse(completionCsvRows(table), `${table.view.community.slug}-completion`);
}

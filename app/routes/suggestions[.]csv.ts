import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { boardFilters } from "#app/features/suggestions/schemas.ts";
import { boardCsvRows } from "#app/features/suggestions/board.server.ts";
import { csvResponse } from "#app/lib/csv.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { siteOrigin } from "#app/lib/origin.server.ts";

/** The board, filtered as on screen: one row per suggestion with its evidence. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.view");
  const rows = await boardCsvRows(getDb(), user, boardFilters(new URL(request.url).searchParams), siteOrigin(request));
  return csvResponse(rows, "cohort-suggestions");
}

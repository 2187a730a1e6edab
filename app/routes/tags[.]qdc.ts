import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { exportCodebook } from "#app/features/research/refi-qda.server.ts";
import { now } from "#app/lib/clock.ts";
import { isoDay } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";

/** The tag list alone as a REFI-QDA codebook (.qdc), to reuse the codes in the next study. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "research.export");
  const xml = await exportCodebook(getDb(), user);
  const day = isoDay(now());
  return new Response(xml, {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Content-Disposition": `attachment; filename="cohort-codebook-${day}.qdc"`, "X-Content-Type-Options": "nosniff" },
  });
}

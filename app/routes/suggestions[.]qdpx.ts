import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { exportQdpx } from "#app/features/research/refi-qda.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { qdpxResponse } from "#app/features/research/download.server.ts";

/** The evidence of the suggestions board, filtered by tag (?tag=), as a REFI-QDA project. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "research.export");
  const tag = new URL(request.url).searchParams.get("tag")?.trim() || undefined;
  return qdpxResponse(await orRespond(exportQdpx(getDb(), user, { tag })));
}

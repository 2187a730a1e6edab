import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { exportQdpx } from "#app/features/research/refi-qda.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { qdpxResponse } from "#app/features/research/download.server.ts";

/** A community's coded evidence as a REFI-QDA project, for NVivo, ATLAS.ti, MAXQDA or QualCoder. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "research.export");
  return qdpxResponse(await orRespond(exportQdpx(getDb(), user, { community: params.slug ?? "" })));
}

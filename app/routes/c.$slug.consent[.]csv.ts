import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/features/auth/request.server.ts";
import { consentAgreementsForStaff } from "#app/features/consent/consent.server.ts";
import { csvResponse } from "#app/lib/csv.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";

/** Who agreed to which consent version and when, for the community's staff. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { view, agreements } = await orRespond(consentAgreementsForStaff(getDb(), user, params.slug ?? ""));
  return csvResponse(
    [["Member", "Member id", "Version", "Agreed at (UTC)"], ...agreements.map((a) => [a.name, a.user_id, a.version, new Date(a.agreed_at).toISOString()])],
    `${view.community.slug}-consent`,
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { exportMyData } from "#app/features/privacy/privacy.server.ts";
import { getDb } from "#app/lib/db.server.ts";

/** Everything you wrote in Cohort, as a JSON download. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  const body = JSON.stringify(await exportMyData(getDb(), user), null, 2);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="cohort-my-data.json"`,
    },
  });
}

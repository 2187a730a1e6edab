import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { openNotification } from "#app/features/notifications/notifications.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { safeRedirect } from "#app/lib/security.ts";

/**
 * Opening a notification: a plain link (no JavaScript needed, opens in a new tab too) that
 * marks it read and goes on to what it is about. Only a path on this site is followed;
 * anything else, or no link, comes back to the list.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  const opened = await openNotification(getDb(), user.id, params.id ?? "");
  if (!opened) throw new Response("We could not find that notification.", { status: 404 });
  return redirect(safeRedirect(opened.link, "/notifications"));
}

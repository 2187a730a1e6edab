import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { EmailMode, NotificationKind } from "#db/schema.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { setPreferences } from "#app/features/notifications/email.server.ts";
import { EMAIL_KINDS } from "#app/features/notifications/kinds.ts";
import { getDb } from "#app/lib/db.server.ts";

export async function loader() {
  return redirect("/account#email");
}

/** Save the email settings from the account page: one mode per kind; anything else is ignored. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  const form = await request.formData();
  const modes: Partial<Record<NotificationKind, EmailMode>> = {};
  for (const kind of Object.keys(EMAIL_KINDS) as NotificationKind[]) {
    const mode = form.get(kind);
    if (mode === "immediate" || mode === "digest" || mode === "off") modes[kind] = mode;
  }
  await setPreferences(getDb(), user.id, modes);
  return redirect("/account?email=saved#email");
}

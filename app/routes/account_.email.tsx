import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { setPreferences } from "#app/features/notifications/email.server.ts";
import { EmailPreferencesSchema } from "#app/features/notifications/schemas.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";

export async function loader() {
  return redirect("/account#email");
}

/** Save the email settings from the account page: one mode per kind; anything else is ignored. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  return act(async () => {
    await setPreferences(getDb(), user.id, parseForm(EmailPreferencesSchema, await request.formData()));
    return redirect("/account?email=saved#email");
  });
}

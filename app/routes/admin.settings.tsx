import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { InvitationContact } from "#app/features/settings/invitation-contact.tsx";
import { INVITATION_CONTACT_MAX, SettingsSchema } from "#app/features/settings/schemas.ts";
import { getInvitationContact, setInvitationContact } from "#app/features/settings/settings.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.manage");
  const contact = await getInvitationContact(getDb());
  return { text: contact?.text ?? "", html: contact?.html ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  return act(async () => {
    const { invitationContact } = parseForm(SettingsSchema, await request.formData());
    await setInvitationContact(getDb(), user, invitationContact);
    return redirect("/admin/settings?saved=1");
  });
}

export const meta: MetaFunction = () => [{ title: "Settings · Cohort" }];

export default function AdminSettingsPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const saved = searchParams.get("saved") === "1" && navigation.state === "idle" && !actionData;
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Settings</h1>
      <Form method="post" className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="text-lg font-semibold">How to get an invitation</h2>
        {saved ? (
          <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-900">
            {page.html ? "Saved. Visitors now see it on the home and sign-up pages, as shown below." : "Saved. Visitors see no contact now."}
          </p>
        ) : null}
        <ActionError data={actionData} />
        <div className="space-y-1">
          <label htmlFor="invitation-contact" className="block text-sm font-medium text-slate-800">
            What a visitor without an invitation should do
          </label>
          <textarea
            id="invitation-contact"
            name="invitationContact"
            rows={4}
            maxLength={INVITATION_CONTACT_MAX}
            defaultValue={page.text}
            aria-describedby="invitation-contact-hint"
            className="block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
          />
          <p id="invitation-contact-hint" className="text-sm text-slate-500">
            Shown to visitors on the home page and the sign-up page. A sentence or two with a contact, for example "Write to
            research@yourcompany.example with your customer number." Email addresses and links become clickable (Markdown
            works); at most {INVITATION_CONTACT_MAX} characters. Leave it empty to show nothing.
          </p>
        </div>
        <Button disabled={navigation.state === "submitting"}>{navigation.state === "submitting" ? "Saving…" : "Save"}</Button>
      </Form>
      <section aria-labelledby="preview-heading" className="space-y-2">
        <h2 id="preview-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          What visitors see
        </h2>
        {page.html ? <InvitationContact html={page.html} /> : <p className="text-sm text-slate-600">Nothing yet: visitors without an invitation are not told whom to ask.</p>}
      </section>
    </main>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { blankSessionCookie } from "#app/features/auth/session.server.ts";
import { eraseAccount } from "#app/features/privacy/privacy.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "account.manage");
  return null;
}

const EraseSchema = z.object({
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password"),
  confirm: z.literal("on", { error: "Tick the box to confirm" }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  return act(async () => {
    const { password } = parseForm(EraseSchema, await request.formData());
    const db = getDb();
    await eraseAccount(db, user, password, { clientAddress: context.clientAddress });
    return redirect("/login?erased=1", { headers: { "Set-Cookie": blankSessionCookie(db, request) } });
  });
}

export const meta: MetaFunction = () => [{ title: "Erase your account · Cohort" }];

export default function EraseAccountPage() {
  const actionData = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-xl space-y-6 px-4 py-10">
      <Link to="/account" className="text-sm">
        ← Your account
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Erase your account</h1>
      <div className="space-y-2 text-sm text-slate-700">
        <p>This cannot be undone. When you erase your account:</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>your name is replaced by “Former member” everywhere Cohort shows it, in quotes of you and in what staff see, and your email address is deleted (if someone typed your name in their own words, that stays theirs);</li>
          <li>what you wrote stays in its communities, no longer linked to you, so conversations still make sense;</li>
          <li>your votes still count, so results stay right, but nobody can see they were yours;</li>
          <li>your segment details, notifications and invitations are deleted, and you are signed out everywhere.</li>
        </ul>
        <p>
          Want a copy first? <a href="/account/export">Download everything you wrote</a> (JSON).
        </p>
      </div>
      <Form method="post" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-red-200">
        <ActionError data={actionData} />
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Your password</span>
          <input type="password" name="password" required autoComplete="current-password" className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300" />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="confirm" required /> I understand that this cannot be undone
        </label>
        <Button variant="danger">Erase my account</Button>
      </Form>
    </main>
  );
}

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { INVALID_RESET_LINK, isResetLinkUsable, resetPassword } from "#app/features/auth/password-reset.server.ts";
import { PASSWORD_MIN, ResetPasswordSchema } from "#app/features/auth/schemas.ts";
import { sessionCookie } from "#app/features/auth/session.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { withSubmission } from "#app/lib/form-action.server.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, TextField } from "#app/ui/field.tsx";

// Opening the link only looks: mail scanners fetch links before people do. Always 200: a
// 404 here would also become the status of the page that says the reset succeeded (the
// loader runs again after the action has used the link).
export async function loader({ params }: LoaderFunctionArgs) {
  const usable = await isResetLinkUsable(getDb(), params.token ?? "");
  return { usable, invalidMessage: INVALID_RESET_LINK };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const db = getDb();
  // A link that is used, expired or unknown is refused with 404: the not-found page says so.
  return withSubmission(
    await request.formData(),
    ResetPasswordSchema,
    async (input, submission) => {
      const { token } = await resetPassword(db, { token: params.token ?? "", password: input.password }, { clientAddress: context.clientAddress });
      return data({ result: submission.reply({ resetForm: true }), done: true }, { headers: { "Set-Cookie": sessionCookie(db, token, request) } });
    },
    { hideFields: ["password"], failed: { done: false } },
  );
}

// The token is in the address: no cache keeps this page.
export const headers = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction = () => [{ title: "Set a new password · Cohort" }];

export default function ResetPasswordPage() {
  const { usable, invalidMessage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });

  if (actionData?.done) {
    return (
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-bold tracking-tight">Your new password is set</h1>
        <div role="status" className="mt-6 space-y-2 rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-900">
          <p>You are signed in on this device with your new password.</p>
          <p>Every other session of your account has been signed out, on every device.</p>
        </div>
        <p className="mt-6">
          <Link to="/">Go to your communities</Link>
        </p>
      </main>
    );
  }

  if (!usable) {
    return (
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-bold tracking-tight">Set a new password</h1>
        <p role="alert" className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {invalidMessage}
        </p>
        <p className="mt-6 text-sm text-slate-600">
          <Link to="/forgot-password">Ask for a new link</Link> or <Link to="/login">sign in</Link>.
        </p>
      </main>
    );
  }

  return (
    <main id="main" className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Set a new password</h1>
      <p className="mt-2 text-sm text-slate-600">Setting it signs you out on every other device and signs you in here.</p>
      <Form method="post" {...getFormProps(form)} className="mt-8 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <FormAlert id={form.errorId} errors={form.errors} />
        <TextField
          label="New password"
          type="password"
          field={fields.password}
          autoComplete="new-password"
          autoFocus
          hint={`At least ${PASSWORD_MIN} characters. A long phrase is easier to remember and harder to guess.`}
        />
        <Button className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : "Set new password"}
        </Button>
      </Form>
    </main>
  );
}

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requestPasswordReset } from "#app/features/auth/password-reset.server.ts";
import { ForgotPasswordSchema } from "#app/features/auth/schemas.ts";
import { getDb } from "#app/lib/db.server.ts";
import { siteOrigin } from "#app/lib/origin.server.ts";
import { withSubmission } from "#app/lib/form-action.server.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, TextField } from "#app/ui/field.tsx";

export async function action({ request, context }: ActionFunctionArgs) {
  return withSubmission(
    await request.formData(),
    ForgotPasswordSchema,
    async (input, submission) => {
      const { message } = await requestPasswordReset(getDb(), input, { clientAddress: context.clientAddress }, { siteOrigin: siteOrigin(request) });
      return { result: submission.reply({ resetForm: true }), sent: message };
    },
    { failed: { sent: null } },
  );
}

// A 429 says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Cohort" }];

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });

  return (
    <main id="main" className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Forgot your password?</h1>
      {actionData?.sent ? (
        <div role="status" className="mt-6 space-y-3 rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-900">
          <p>{actionData.sent}</p>
          <p>
            Nothing yet? You can ask again below, or <Link to="/login">go back to sign in</Link>.
          </p>
        </div>
      ) : (
        <p className="mt-2 text-sm text-slate-600">
          Enter the email address of your account and we will send you a link to set a new password.
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="mt-8 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <FormAlert id={form.errorId} errors={form.errors} />
        <TextField label="Email" type="email" field={fields.email} autoComplete="email" autoFocus={!actionData?.sent} />
        <Button className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Sending…" : "Send me a link"}
        </Button>
      </Form>
      <p className="mt-4 text-sm text-slate-600">
        Remembered it? <Link to="/login">Sign in</Link>.
      </p>
    </main>
  );
}

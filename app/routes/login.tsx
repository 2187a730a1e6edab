import { getFormProps, useForm } from "@conform-to/react";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { signIn } from "#app/features/auth/accounts.server.ts";
import { redirectIfSignedIn } from "#app/features/auth/request.server.ts";
import { SignInSchema } from "#app/features/auth/schemas.ts";
import { sessionCookie } from "#app/features/auth/session.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { withSubmission } from "#app/lib/form-action.server.ts";
import { safeRedirect } from "#app/lib/security.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, TextField } from "#app/ui/field.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context, safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const db = getDb();
  return withSubmission(
    await request.formData(),
    SignInSchema,
    async (input) => {
      const { token } = await signIn(db, input, { clientAddress: context.clientAddress });
      return redirect(safeRedirect(input.redirectTo), { headers: { "Set-Cookie": sessionCookie(db, token, request) } });
    },
    { hideFields: ["password"] },
  );
}

// A 429 says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Sign in · Cohort" }];

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const redirectTo = searchParams.get("redirectTo") ?? "";

  return (
    <main id="main" className="mx-auto max-w-md px-4 py-12">
      {searchParams.get("erased") ? (
        <p role="status" className="mb-4 rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-900">
          Your account was erased and you are signed out. Thank you for taking part.
        </p>
      ) : null}
      <h1 className="text-2xl font-bold tracking-tight">Sign in to Cohort</h1>
      <p className="mt-2 text-sm text-slate-600">
        New here? <Link to={redirectTo ? `/signup?redirectTo=${encodeURIComponent(redirectTo)}` : "/signup"}>Create an account</Link>.
      </p>
      {/* Above the form: a link below the fields would move when leaving the email field shows its error, and the click would miss. */}
      <p className="mt-1 text-sm text-slate-600">
        <Link to="/forgot-password">Forgot password?</Link> We will email you a link.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-8 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <FormAlert id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField label="Email" type="email" field={fields.email} autoComplete="email" autoFocus />
        <TextField label="Password" type="password" field={fields.password} autoComplete="current-password" />
        <Button className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </Button>
      </Form>
    </main>
  );
}

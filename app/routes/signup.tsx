import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { signUp } from "#app/features/auth/accounts.server.ts";
import { redirectIfSignedIn } from "#app/features/auth/request.server.ts";
import { PASSWORD_MIN, SignUpSchema } from "#app/features/auth/schemas.ts";
import { sessionCookie } from "#app/features/auth/session.server.ts";
import { InvitationContact } from "#app/features/settings/invitation-contact.tsx";
import { getInvitationContact } from "#app/features/settings/settings.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { env } from "#app/lib/env.server.ts";
import { withSubmission } from "#app/lib/form-action.server.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { safeRedirect } from "#app/lib/security.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, TextField } from "#app/ui/field.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context);
  return { open: env().SIGNUP === "open", invitationContact: (await getInvitationContact(getDb()))?.html ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (env().SIGNUP !== "open") throw new Response(INVITATION_ONLY, { status: 403 });
  const db = getDb();
  return withSubmission(
    await request.formData(),
    SignUpSchema,
    async (input) => {
      const { token } = await signUp(db, input, { clientAddress: context.clientAddress });
      return redirect(safeRedirect(input.redirectTo), { headers: { "Set-Cookie": sessionCookie(db, token, request) } });
    },
    { hideFields: ["password"] },
  );
}

// A 429 says when to try again.
export const headers = passRetryAfter;

const INVITATION_ONLY = "Cohort accounts are created from an invitation. Open the invitation link you were emailed to join.";

export const meta: MetaFunction = () => [{ title: "Create an account · Cohort" }];

export default function SignupPage() {
  const { open, invitationContact } = useLoaderData<typeof loader>();
  return open ? <SignupForm invitationContact={invitationContact} /> : (
    <main id="main" className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Join by invitation</h1>
      <p className="mt-4 text-slate-700">{INVITATION_ONLY}</p>
      <InvitationContact html={invitationContact} className="mt-6" />
      <p className="mt-4 text-sm text-slate-600">
        Already have an account? <Link to="/login">Sign in</Link>.
      </p>
    </main>
  );
}

function SignupForm({ invitationContact }: { invitationContact: string | null }) {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignUpSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const redirectTo = searchParams.get("redirectTo") ?? "";

  return (
    <main id="main" className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Create your Cohort account</h1>
      <p className="mt-2 text-sm text-slate-600">
        Already have one? <Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login"}>Sign in</Link>.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-8 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <FormAlert id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField label="Email" type="email" field={fields.email} autoComplete="email" autoFocus />
        <TextField
          label="Display name"
          field={fields.displayName}
          autoComplete="nickname"
          hint="Other members see this name, never your email."
        />
        <TextField
          label="Password"
          type="password"
          field={fields.password}
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters. A long phrase is easier to remember and harder to guess.`}
        />
        <Button className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Creating your account…" : "Create account"}
        </Button>
      </Form>
      {/* Open sign-up gives an account, not a place in a (private) community. */}
      <InvitationContact html={invitationContact} className="mt-8" />
    </main>
  );
}

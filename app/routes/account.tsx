import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { changePassword } from "#app/features/auth/accounts.server.ts";
import { can } from "#app/features/auth/policy.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { ChangePasswordSchema, PASSWORD_MIN } from "#app/features/auth/schemas.ts";
import { sessionCookie } from "#app/features/auth/session.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { preferencesOf } from "#app/features/notifications/email.server.ts";
import { EMAIL_KINDS, EMAIL_MODE_LABEL } from "#app/features/notifications/kinds.ts";
import { actOn, withSubmission } from "#app/lib/form-action.server.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, TextAreaField, TextField } from "#app/ui/field.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";
import { profileOf, updateProfile } from "#app/features/profiles/profiles.server.ts";
import { ProfileSchema } from "#app/features/profiles/schemas.ts";
import { NAME_MAX, NAME_MIN } from "#app/features/auth/names.ts";
import { BIO_MAX } from "#app/features/profiles/bio.ts";

const ROLE_TEXT = {
  member: "Member: you take part in the communities you are invited to.",
  moderator: "Moderator: you run communities and triage their feedback.",
  product: "Product reviewer: you review suggestions and answer them.",
  admin: "Admin: you can do everything, including managing people and roles.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  const [emailModes, profile] = await Promise.all([preferencesOf(getDb(), user.id), profileOf(getDb(), user.id)]);
  return { id: user.id, email: user.email, displayName: profile.display_name, bio: profile.bio, role: user.role, canManagePeople: can(user, "admin.manage"), emailModes };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  const formData = await request.formData();
  const db = getDb();
  return actOn(formData.get("intent"), {
    profile: () =>
      withSubmission(
        formData,
        ProfileSchema,
        async (input, submission) => {
          await updateProfile(db, user, input);
          return { form: "profile" as const, result: submission.reply(), changed: true };
        },
        { failed: { form: "profile" as const, changed: false } },
      ),
    password: () =>
      withSubmission(
        formData,
        ChangePasswordSchema,
        async ({ currentPassword, newPassword }, submission) => {
          const { token } = await changePassword(db, { userId: user.id, currentPassword, newPassword }, { clientAddress: context.clientAddress });
          return data({ form: "password" as const, result: submission.reply({ resetForm: true }), changed: true }, { headers: { "Set-Cookie": sessionCookie(db, token, request) } });
        },
        { hideFields: ["currentPassword", "newPassword"], failed: { form: "password" as const, changed: false } },
      ),
  });
}

export const meta: MetaFunction = () => [{ title: "Your account · Cohort" }];

export default function AccountPage() {
  const account = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("email") === "saved";
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const answered = actionData && "form" in actionData ? actionData : undefined;
  const profileData = answered?.form === "profile" ? answered : undefined;
  const passwordData = answered?.form === "password" ? answered : undefined;
  const [profileForm, profileFields] = useForm({
    id: "profile",
    lastResult: profileData?.result,
    defaultValue: { displayName: account.displayName, bio: account.bio },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [form, fields] = useForm({
    id: "password",
    lastResult: passwordData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });

  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-10">
      <h1 className="text-2xl font-bold tracking-tight">Your account</h1>
      <dl className="mt-6 divide-y divide-slate-200 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <div className="grid grid-cols-3 gap-4 px-5 py-4">
          <dt className="text-sm font-medium text-slate-600">Profile</dt>
          <dd className="col-span-2 text-sm">
            <PersonLink id={account.id} name={account.displayName} /> <span className="text-slate-500">(what members you share a community with see)</span>
          </dd>
        </div>
        <div className="grid grid-cols-3 gap-4 px-5 py-4">
          <dt className="text-sm font-medium text-slate-600">Email</dt>
          <dd className="col-span-2 text-sm">
            {account.email}
            <span className="block text-slate-500">Only staff can see it; members see your display name.</span>
          </dd>
        </div>
        <div className="grid grid-cols-3 gap-4 px-5 py-4">
          <dt className="text-sm font-medium text-slate-600">Role</dt>
          <dd className="col-span-2 text-sm">
            {account.canManagePeople ? (
              <>
                Admin: you can do everything, including <Link to="/admin/people">managing people and roles</Link>.
              </>
            ) : (
              ROLE_TEXT[account.role]
            )}
          </dd>
        </div>
      </dl>

      <h2 id="profile-heading" className="mt-10 text-lg font-semibold">
        Your profile
      </h2>
      <p className="mt-1 text-sm text-slate-600">Members of your communities see your name on your posts and your profile; they never see your email.</p>
      <Form method="post" {...getFormProps(profileForm)} aria-labelledby="profile-heading" className="mt-4 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        {profileData?.changed ? (
          <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
            Your profile is saved. Your posts now show “{account.displayName}”.
          </p>
        ) : null}
        <FormAlert id={profileForm.errorId} errors={profileForm.errors} />
        <input type="hidden" name="intent" value="profile" />
        <TextField label="Display name" field={profileFields.displayName} autoComplete="nickname" hint={`${NAME_MIN} to ${NAME_MAX} characters. Names that pass for staff or the system are refused.`} />
        <TextAreaField label="Bio (optional)" field={profileFields.bio} rows={4} hint={`Plain text, up to ${BIO_MAX} characters: what you do, what you care about.`} />
        <Button disabled={navigation.state === "submitting"}>Save profile</Button>
      </Form>

      <h2 className="mt-10 text-lg font-semibold">Change your password</h2>
      <p className="mt-1 text-sm text-slate-600">Changing it signs you out everywhere else.</p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        {passwordData?.changed ? (
          <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
            Your password is changed. Other devices have been signed out.
          </p>
        ) : null}
        <FormAlert id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="password" />
        <TextField label="Current password" type="password" field={fields.currentPassword} autoComplete="current-password" />
        <TextField
          label="New password"
          type="password"
          field={fields.newPassword}
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
        />
        <Button disabled={navigation.state === "submitting"}>Change password</Button>
      </Form>
      <section id="email" aria-labelledby="email-heading" className="space-y-3 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="email-heading" className="text-lg font-semibold">
          Email
        </h2>
        <p className="text-sm text-slate-600">Everything also shows under the bell. Choose what reaches your inbox, and when.</p>
        {saved ? (
          <p role="status" className="text-sm text-green-800">
            Saved.
          </p>
        ) : null}
        <Form method="post" action="/account/email" className="space-y-2">
          {(Object.keys(EMAIL_KINDS) as (keyof typeof EMAIL_KINDS)[]).map((kind) => (
            <div key={kind} className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <label htmlFor={`email-${kind}`}>{EMAIL_KINDS[kind].label}</label>
              <select id={`email-${kind}`} name={kind} defaultValue={account.emailModes[kind]} className="rounded-md border-0 py-1 pl-2 pr-8 ring-1 ring-inset ring-slate-300">
                {(["immediate", "digest", "off"] as const).map((mode) => (
                  <option key={mode} value={mode}>
                    {EMAIL_MODE_LABEL[mode]}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <Button variant="secondary">Save email settings</Button>
        </Form>
      </section>
      <section aria-labelledby="data-heading" className="space-y-3 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="data-heading" className="text-lg font-semibold">
          Your data
        </h2>
        <p className="text-sm text-slate-600">Other members see only your display name, never your email address.</p>
        <div className="flex flex-wrap gap-3 text-sm">
          <a href="/account/export" download>
            Download everything you wrote (JSON)
          </a>
          <Link to="/account/erase" className="text-red-700">
            Erase your account…
          </Link>
        </div>
      </section>
    </main>
  );
}

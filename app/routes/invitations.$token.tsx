import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { findUserByEmail } from "#app/features/auth/accounts.server.ts";
import { getCurrentUser } from "#app/features/auth/request.server.ts";
import { DisplayNameSchema, NewPasswordSchema } from "#app/features/auth/schemas.ts";
import { sessionCookie } from "#app/features/auth/session.server.ts";
import { describeTimeBox } from "#app/features/communities/communities.server.ts";
import { INVALID_INVITATION, joinByInvitation, openInvitation, type InvitationJoiner } from "#app/features/invitations/invitations.server.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { describeRoleOffered } from "#app/features/invitations/role-offered.ts";
import { TimeBox } from "#app/features/communities/time-box.tsx";
import { now } from "#app/lib/clock.ts";
import { formatDayInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Button } from "#app/ui/button.tsx";
import { ConsentTextView } from "#app/features/consent/consent-text.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const db = getDb();
  const invitation = await openInvitation(db, params.token ?? "");
  if (!invitation) throw new Response(INVALID_INVITATION, { status: 404 });
  const user = await getCurrentUser(request, context);
  const { community } = invitation;
  return {
    email: invitation.email,
    role: invitation.role,
    note: invitation.note,
    inviterName: invitation.inviterName,
    community: { name: community.name, purposeHtml: community.purpose_html, closed: community.closed, closedOn: formatDayInZone(community.ends_at, community.time_zone) },
    consent: community.consent ? { ...community.consent, publishedOn: formatDayInZone(community.consent.publishedAt, community.time_zone) } : null,
    box: describeTimeBox({ ...community, phase: phaseOf({ ...community, published_at: 0, archived_at: null }, now()) }),
    signedInAs: user ? { email: user.email, displayName: user.displayName } : null,
    hasAccount: user ? true : Boolean(await findUserByEmail(db, invitation.email)),
  };
}

// The consent version the person ticked "I agree" for; absent when unticked or when the community has none.
const ConsentVersionField = z.coerce.number().int().min(1).max(100000).optional();

const JoinSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("join"), confirmDates: z.literal("on").optional(), consentVersion: ConsentVersionField }),
  z.object({ intent: z.literal("signin-and-join"), password: z.string().min(1, "Enter your password").max(256), confirmDates: z.literal("on").optional(), consentVersion: ConsentVersionField }),
  z.object({ intent: z.literal("signup-and-join"), displayName: DisplayNameSchema, password: NewPasswordSchema, confirmDates: z.literal("on").optional(), consentVersion: ConsentVersionField }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const db = getDb();
  return act(async () => {
    const input = parseForm(JoinSchema, await request.formData());
    const joiner: InvitationJoiner =
      input.intent === "signup-and-join"
        ? { by: "new-account", displayName: input.displayName, password: input.password }
        : input.intent === "signin-and-join"
          ? { by: "sign-in", password: input.password }
          : { by: "session", user: await getCurrentUser(request, context) };
    const confirmations = { datesConfirmed: input.confirmDates === "on", consentVersion: input.consentVersion ?? null };
    const { slug, sessionToken } = await joinByInvitation(db, params.token ?? "", joiner, confirmations, { clientAddress: context.clientAddress });
    return redirect(`/c/${slug}`, { headers: sessionToken ? { "Set-Cookie": sessionCookie(db, sessionToken, request) } : {} });
  });
}

// A 429 (too many sign-in attempts) says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Invitation to ${data.community.name} · Cohort` : "Invitation · Cohort" }];

export default function InvitationPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const wrongAccount = page.signedInAs && page.signedInAs.email !== page.email;
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <div>
        <p className="text-sm font-semibold text-brand-700">Invitation from {page.inviterName}</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight">{page.community.name}</h1>
        <p className="mt-2 text-slate-600">
          You are invited as a <strong>{describeRoleOffered(page.role).label}</strong>, for {page.email}.
        </p>
        <p className="mt-1 text-slate-600">{describeRoleOffered(page.role).meaning}</p>
      </div>
      {page.note ? (
        <blockquote className="rounded-lg border-l-4 border-brand-200 bg-white p-4 text-slate-700 shadow-sm">
          <p className="whitespace-pre-line">{page.note}</p>
          <footer className="mt-2 text-sm text-slate-500">— {page.inviterName}</footer>
        </blockquote>
      ) : null}
      <TimeBox box={page.box} />
      <section aria-labelledby="purpose-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="purpose-heading" className="text-lg font-semibold">What this community is for</h2>
        <div className="prose-cohort mt-3" dangerouslySetInnerHTML={{ __html: page.community.purposeHtml }} />
      </section>

      {page.consent && !page.community.closed ? <ConsentTextView consent={page.consent} /> : null}
      {page.community.closed ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
          This community closed on {page.community.closedOn}; it can no longer be joined. Thank you for your interest.
        </p>
      ) : wrongAccount ? (
        <div role="status" className="space-y-3 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
          <p>
            This invitation is for {page.email}, but you are signed in as {page.signedInAs!.email}. Sign out, then open this link again.
          </p>
          <Form method="post" action="/logout">
            <Button variant="secondary">Sign out</Button>
          </Form>
        </div>
      ) : (
        <Form method="post" className="space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 className="text-lg font-semibold">Join</h2>
          {actionData?.error ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{actionData.error}</p>
          ) : null}
          {page.signedInAs ? (
            <input type="hidden" name="intent" value="join" />
          ) : page.hasAccount ? (
            <>
              <input type="hidden" name="intent" value="signin-and-join" />
              <p className="text-sm text-slate-600">You already have a Cohort account for {page.email}. Enter its password to join.</p>
              <PlainField label="Password" name="password" type="password" autoComplete="current-password" />
            </>
          ) : (
            <>
              <input type="hidden" name="intent" value="signup-and-join" />
              <PlainField label="Email" name="email" type="email" value={page.email} readOnly />
              <PlainField label="Display name" name="displayName" type="text" autoComplete="nickname" hint="Other members see this name, never your email." />
              <PlainField label="Password" name="password" type="password" autoComplete="new-password" hint="At least 8 characters." />
            </>
          )}
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" name="confirmDates" required className="mt-1 h-4 w-4" />
            <span>
              I have seen that this community opens <strong>{page.box.opens}</strong> and closes <strong>{page.box.closes}</strong>.
            </span>
          </label>
          {page.consent ? (
            <label className="flex items-start gap-3 text-sm">
              <input type="checkbox" name="consentVersion" value={page.consent.version} required className="mt-1 h-4 w-4" />
              <span>
                I have read the consent above (version {page.consent.version}, {page.consent.publishedOn}) and agree to take part on those terms.
              </span>
            </label>
          ) : null}
          <Button disabled={busy}>{page.signedInAs ? "Join the community" : page.hasAccount ? "Sign in and join" : "Create account and join"}</Button>
          {!page.signedInAs && !page.hasAccount ? (
            <p className="text-sm text-slate-600">
              Already use Cohort with another address? <Link to="/login">Sign in</Link> first; invitations are tied to the address they were sent to.
            </p>
          ) : null}
        </Form>
      )}
    </main>
  );
}

function PlainField(props: { label: string; name: string; type: string; value?: string; readOnly?: boolean; autoComplete?: string; hint?: string }) {
  const id = `field-${props.name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{props.label}</label>
      <input
        id={id}
        name={props.readOnly ? undefined : props.name}
        type={props.type}
        defaultValue={props.value}
        readOnly={props.readOnly}
        autoComplete={props.autoComplete}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        className="block w-full rounded-md border-0 bg-white px-3 py-2 ring-1 ring-inset ring-slate-300 read-only:bg-slate-100 focus:ring-2 focus:ring-brand-600"
      />
      {props.hint ? <p id={`${id}-hint`} className="text-sm text-slate-500">{props.hint}</p> : null}
    </div>
  );
}

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { can } from "#app/features/auth/policy.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { deliverNow } from "#app/features/email/outbox.server.ts";
import {
  NOMINATION_STATUS_LABEL,
  declineNomination,
  inviteFromNomination,
  listOpenNominations,
  listOwnNominations,
  nominate,
  nominationCommunityChoices,
} from "#app/features/nominations/nominations.server.ts";
import { DeclineNominationSchema, InviteFromNominationSchema, NominateSchema } from "#app/features/nominations/schemas.ts";
import { now } from "#app/lib/clock.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { formatDayInZone, formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { siteOrigin } from "#app/lib/origin.server.ts";
import { actOn, parseForm, withSubmission } from "#app/lib/form-action.server.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, SelectField, TextAreaField, TextField } from "#app/ui/field.tsx";
import { LinkedText } from "#app/ui/linked-text.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "nomination.create");
  const db = getDb();
  const reviewer = can(user, "nomination.review");
  const after = parseCursor(new URL(request.url).searchParams.get("after"));
  const [communities, open, own] = await Promise.all([
    nominationCommunityChoices(db, user),
    reviewer ? listOpenNominations(db, user, { after }) : null,
    listOwnNominations(db, user),
  ]);
  const at = now();
  const shown = (row: Awaited<ReturnType<typeof listOwnNominations>>[number]) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    quote: row.quote,
    foundWhere: row.found_where,
    askToLead: row.ask_to_lead === 1,
    nominator: row.nominator_name,
    community: row.community_slug ? { slug: row.community_slug, name: row.community_name ?? "" } : null,
    status: NOMINATION_STATUS_LABEL[row.status],
    declineReason: row.decline_reason,
    when: formatRelative(row.created_at, at),
    day: formatDayInZone(row.created_at, "UTC"),
  });
  return {
    communities: communities.map((c) => ({ slug: c.slug, name: c.name })),
    reviewer,
    open: open ? { nominations: open.nominations.map(shown), next: open.next ? formatCursor(open.next) : null, paged: Boolean(after) } : null,
    own: own.map(shown),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "nomination.create");
  const db = getDb();
  const formData = await request.formData();
  return actOn(formData.get("intent"), {
    nominate: () =>
      withSubmission(
        formData,
        NominateSchema,
        async (input, submission) => {
          await nominate(db, user, input);
          const notice = can(user, "nomination.review")
            ? `${input.name} is nominated; the nomination waits below with the others.`
            : `Thank you: ${input.name} is nominated. A moderator will invite them or tell you why not; you will get a notification either way.`;
          return { result: submission.reply({ resetForm: true }), notice, error: null };
        },
        { failed: { notice: null, error: null } },
      ),
    invite: async () => {
      await requirePermission(request, context, "nomination.review");
      const result = await inviteFromNomination(db, user, parseForm(InviteFromNominationSchema, formData), { siteOrigin: siteOrigin(request) });
      await deliverNow(db, result.outboxIds);
      return { result: undefined, notice: `Invitation sent to ${result.communityName}; the nominator has been told.`, error: null };
    },
    decline: async () => {
      await requirePermission(request, context, "nomination.review");
      const { name } = await declineNomination(db, user, parseForm(DeclineNominationSchema, formData));
      return { result: undefined, notice: `${name}'s nomination is declined; the nominator has been told why.`, error: null };
    },
  });
}

// A 429 (the day's nominations are spent) says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Nominations · Cohort" }];

type Shown = ReturnType<typeof useLoaderData<typeof loader>>["own"][number];

export default function NominationsPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const answered = actionData && "notice" in actionData ? actionData : undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: answered?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NominateSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-8 px-4 py-10">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Nominate a customer</h1>
        <p className="mt-2 text-slate-600">
          Met a customer who cares and had something specific to say? Nominate them: a moderator invites them to a research community, or tells you why not.
        </p>
      </div>
      {answered?.notice ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          {answered.notice}
        </p>
      ) : null}
      {actionData?.error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {actionData.error}
        </p>
      ) : null}

      <section aria-labelledby="nominate-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="nominate-heading" className="text-lg font-semibold">
          Who and why
        </h2>
        <Form method="post" {...getFormProps(form)} className="mt-4 space-y-5">
          <input type="hidden" name="intent" value="nominate" />
          <FormAlert id={form.errorId} errors={form.errors} />
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField label="Customer's email" field={fields.email} type="email" />
            <TextField label="Customer's name" field={fields.name} />
          </div>
          <TextAreaField label="What the customer said" field={fields.quote} rows={4} hint="In their words, as near as you remember: this is the reason for the nomination." />
          <TextField label="Where (optional)" field={fields.foundWhere} hint="A ticket link, a call, an event." />
          <SelectField
            label="Community (optional)"
            field={fields.community}
            options={[{ value: "", label: "Let the moderator choose" }, ...page.communities.map((c) => ({ value: c.slug, label: c.name }))]}
          />
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" name={fields.askToLead.name} className="mt-1 h-4 w-4" />
            <span>Ask them to lead a discussion</span>
          </label>
          <Button disabled={navigation.state === "submitting"}>Nominate</Button>
        </Form>
      </section>

      {page.open ? (
        <section aria-labelledby="open-heading" className="space-y-4">
          <h2 id="open-heading" className="text-lg font-semibold">
            Open nominations
          </h2>
          <p className="text-sm text-slate-600">Oldest first. Inviting sends a normal invitation that carries the nomination as its source; declining tells the nominator your reason.</p>
          {page.open.nominations.length === 0 ? <p className="text-sm text-slate-600">{page.open.paged ? "No more open nominations." : "No nominations are waiting."}</p> : null}
          {page.open.nominations.map((nomination) => (
            <OpenNomination key={nomination.id} nomination={nomination} communities={page.communities} />
          ))}
          <nav aria-label="More nominations" className="flex gap-4 text-sm">
            {page.open.paged ? <Link to="/nominations">Back to the oldest</Link> : null}
            {page.open.next ? <Link to={`/nominations?after=${page.open.next}`}>Newer nominations</Link> : null}
          </nav>
        </section>
      ) : null}

      <section aria-labelledby="own-heading" className="space-y-3">
        <h2 id="own-heading" className="text-lg font-semibold">
          Your nominations
        </h2>
        {page.own.length === 0 ? (
          <p className="text-sm text-slate-600">None yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white text-sm shadow-sm ring-1 ring-slate-200">
            {page.own.map((nomination) => (
              <li key={nomination.id} className="px-4 py-3">
                <p>
                  <span className="font-medium">{nomination.name}</span>
                  <span className="text-slate-500"> · {nomination.when}</span>
                  <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">{nomination.status}</span>
                  {nomination.community ? <span className="text-slate-600"> · {nomination.community.name}</span> : null}
                </p>
                {nomination.declineReason ? <p className="mt-1 text-slate-700">Reason: {nomination.declineReason}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function OpenNomination({ nomination, communities }: { nomination: Shown; communities: { slug: string; name: string }[] }) {
  const headingId = `nomination-${nomination.id}`;
  return (
    <article aria-labelledby={headingId} className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <header>
        <h3 id={headingId} className="font-semibold">
          {nomination.name} <span className="font-normal text-slate-500">({nomination.email})</span>
        </h3>
        <p className="text-sm text-slate-600">
          Nominated by {nomination.nominator} <span title={nomination.day}>{nomination.when}</span>
          {nomination.askToLead ? " · suggested as a discussion leader" : ""}
          {nomination.community ? ` · for ${nomination.community.name}` : ""}
        </p>
      </header>
      <blockquote className="whitespace-pre-line border-l-4 border-brand-200 pl-4 text-slate-800">{nomination.quote}</blockquote>
      {nomination.foundWhere ? (
        <p className="text-sm text-slate-700">
          <span className="font-medium">Where: </span>
          <LinkedText text={nomination.foundWhere} />
        </p>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        <Form method="post" className="space-y-3 rounded-md bg-slate-50 p-4">
          <input type="hidden" name="intent" value="invite" />
          <input type="hidden" name="nominationId" value={nomination.id} />
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Community</span>
            <select name="community" required defaultValue={nomination.community?.slug ?? ""} className="block w-full rounded-md border-0 bg-white px-3 py-2 ring-1 ring-inset ring-slate-300">
              <option value="" disabled>
                Choose a community
              </option>
              {communities.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Role offered</span>
            <select name="role" defaultValue={nomination.askToLead ? "leader" : "participant"} className="block w-full rounded-md border-0 bg-white px-3 py-2 ring-1 ring-inset ring-slate-300">
              <option value="participant">Participant</option>
              <option value="leader">Discussion leader (can post prompts, pin and lock)</option>
            </select>
          </label>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Personal note (optional)</span>
            <textarea name="note" rows={2} maxLength={2000} className="block w-full rounded-md border-0 bg-white px-3 py-2 ring-1 ring-inset ring-slate-300" />
          </label>
          <Button>
            Invite<span className="sr-only"> {nomination.name}</span>
          </Button>
        </Form>
        <details className="self-start rounded-md bg-slate-50 p-4">
          <summary className="cursor-pointer text-sm font-medium">
            Decline<span className="sr-only"> {nomination.name}&apos;s nomination</span>…
          </summary>
          <Form method="post" className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="decline" />
            <input type="hidden" name="nominationId" value={nomination.id} />
            <label className="block space-y-1 text-sm">
              <span className="font-medium">Why not</span>
              <textarea name="reason" rows={2} required minLength={3} maxLength={1000} className="block w-full rounded-md border-0 bg-white px-3 py-2 ring-1 ring-inset ring-slate-300" />
            </label>
            <p className="text-sm text-slate-600">{nomination.nominator} will be told, with this reason. Nobody is invited.</p>
            <Button variant="danger">
              Decline nomination<span className="sr-only"> of {nomination.name}</span>
            </Button>
          </Form>
        </details>
      </div>
    </article>
  );
}

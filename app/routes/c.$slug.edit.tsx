import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import {
  archiveCommunity,
  closeCommunityNow,
  communityHeader,
  countMembers,
  getCommunityToManage,
  publishCommunity,
  shorteningWarning,
  updateCommunity,
} from "#app/features/communities/communities.server.ts";
import { CommunityFormFields } from "#app/features/communities/community-form.tsx";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { CommunityFormSchema } from "#app/features/communities/schemas.ts";
import { timeZoneOptions, toLocalInput } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { count } from "#app/lib/plural.ts";
import { actOn, withSubmission } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button, buttonClass } from "#app/ui/button.tsx";

// ?confirm=archive and ?confirm=close ask before acting: states of the page, so they work without JavaScript.
const CONFIRMS = ["archive", "close"] as const;
type Confirm = (typeof CONFIRMS)[number];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const view = await orRespond(getCommunityToManage(getDb(), user, params.slug ?? ""));
  const { community } = view;
  const asked = new URL(request.url).searchParams.get("confirm") as Confirm | null;
  const confirm = asked && CONFIRMS.includes(asked) && (asked !== "close" || community.phase === "active") ? asked : null;
  return {
    slug: community.slug,
    name: community.name,
    header: communityHeader(community),
    phase: community.phase,
    members: await countMembers(getDb(), community.id),
    confirm,
    timeZones: timeZoneOptions(),
    defaults: {
      name: community.name,
      purpose: community.purpose_markdown,
      timeZone: community.time_zone,
      startsAt: toLocalInput(community.starts_at, community.time_zone),
      endsAt: toLocalInput(community.ends_at, community.time_zone),
      voteBudget: community.vote_budget,
      hideVoteCounts: community.hide_vote_counts === 1,
      randomIdeaOrder: community.random_idea_order === 1,
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const db = getDb();
  // Who may change it is decided before what they sent is read.
  await orRespond(getCommunityToManage(db, user, slug));
  const formData = await request.formData();
  const back = () => redirect(`/c/${slug}`);
  return actOn(formData.get("intent"), {
    publish: async () => {
      await publishCommunity(db, user, slug);
      return back();
    },
    archive: async () => {
      await archiveCommunity(db, user, slug);
      return back();
    },
    "close-now": async () => {
      await closeCommunityNow(db, user, slug);
      return back();
    },
    save: () =>
      withSubmission(
        formData,
        CommunityFormSchema,
        async (input, submission) => {
          // Bringing a live community's close forward is said out loud before it is saved;
          // the confirmation posts the same fields again, the intent included.
          if (formData.get("confirmed") !== "shorten") {
            const warning = await shorteningWarning(db, user, slug, input);
            if (warning) {
              const fields = [...formData.entries()].flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as const] : []));
              return data({ result: submission.reply(), shorten: { warning, fields } }, { status: 200 });
            }
          }
          await updateCommunity(db, user, slug, input);
          return back();
        },
        { failed: { shorten: null } },
      ),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.name} · Cohort` : "Cohort" }];

export default function EditCommunityPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const members = count(page.members, "member");
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <div>
        <CommunityHeader header={page.header} />
        <h1 className="mt-2 text-2xl font-bold tracking-tight">Edit {page.name}</h1>
      </div>
      <ActionError data={actionData} />
      {actionData && "shorten" in actionData && actionData.shorten ? (
        <Confirmation heading="Close it earlier?" cancelTo={`/c/${page.slug}/edit`} cancelLabel="Cancel, keep the dates">
          <p className="text-sm text-slate-800">{actionData.shorten.warning}</p>
          <p className="text-sm text-slate-800">Members read the new dates in an announcement and a notification.</p>
          <Form method="post" className="flex flex-wrap items-center gap-3">
            {actionData.shorten.fields.map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <input type="hidden" name="confirmed" value="shorten" />
            <Button variant="danger">Save the earlier close</Button>
          </Form>
        </Confirmation>
      ) : null}
      {page.confirm === "close" ? (
        <Confirmation heading="Close this community now?" cancelTo={`/c/${page.slug}/edit`} cancelLabel="Cancel, keep it open">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
            <li>It closes at this moment instead of {page.header.box.closesRelative} ({page.header.box.closes}).</li>
            <li>It becomes read only: nobody can post, reply, submit ideas or vote any more.</li>
            <li>
              Its {members} will be told, by an announcement and a notification. Their readout opens, and you can still triage, answer and export.
            </li>
          </ul>
          <Form method="post">
            <input type="hidden" name="intent" value="close-now" />
            <Button variant="danger">Close now and tell {members}</Button>
          </Form>
        </Confirmation>
      ) : null}
      {page.confirm === "archive" ? (
        <Confirmation heading="Archive this community?" cancelTo={`/c/${page.slug}/edit`} cancelLabel="Cancel, keep it listed">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
            <li>Participants no longer see it on their home page, and staff no longer see it listed.</li>
            <li>Links to it keep working, read only: nobody can write in it, and it can no longer be edited.</li>
            <li>Nothing is deleted: discussions, ideas, suggestions and their evidence stay, and staff can still read the dashboard and export.</li>
            <li>It cannot be undone here.</li>
          </ul>
          <Form method="post">
            <input type="hidden" name="intent" value="archive" />
            <Button variant="danger">Archive it</Button>
          </Form>
        </Confirmation>
      ) : null}
      <CommunityFormFields defaults={page.defaults} timeZones={page.timeZones} lastResult={actionData && "result" in actionData ? actionData.result : undefined} submitLabel="Save changes" slugEditable={false} />
      <section aria-labelledby="lifecycle-heading" className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="lifecycle-heading" className="text-lg font-semibold">
          Publishing and closing
        </h2>
        {page.phase === "draft" ? (
          <Form method="post" className="flex flex-wrap items-center gap-4">
            <input type="hidden" name="intent" value="publish" />
            <p className="flex-1 text-sm text-slate-600">Publishing shows the community to its members, with its brief and dates.</p>
            <Button>Publish</Button>
          </Form>
        ) : null}
        {page.phase === "active" ? (
          <div className="flex flex-wrap items-center gap-4">
            <p className="flex-1 text-sm text-slate-600">Closing now ends it at once: it becomes read only and its {members} are told.</p>
            <Link to="?confirm=close" className={buttonClass("danger")}>
              Close now…
            </Link>
          </div>
        ) : null}
        <div className="flex flex-wrap items-center gap-4">
          <p className="flex-1 text-sm text-slate-600">Archiving takes it off every list; direct links stay readable and nothing is deleted.</p>
          <Link to="?confirm=archive" className={buttonClass("danger")}>
            Archive…
          </Link>
        </div>
      </section>
    </main>
  );
}

/** A question asked before a change that cannot be taken back, at the top of the page, with a way out. */
function Confirmation({ heading, cancelTo, cancelLabel, children }: { heading: string; cancelTo: string; cancelLabel: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby="confirm-heading" className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-5">
      <h2 id="confirm-heading" className="text-lg font-semibold text-red-900">
        {heading}
      </h2>
      {children}
      <Link to={cancelTo} className="inline-block text-sm">
        {cancelLabel}
      </Link>
    </section>
  );
}

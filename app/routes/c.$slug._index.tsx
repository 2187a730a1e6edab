import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { can, decide } from "#app/features/auth/policy.ts";
import { listThreads } from "#app/features/discussions/reading.server.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { ThreadBadges } from "#app/features/discussions/thread-badges.tsx";
import { CommunityTabs } from "#app/features/communities/community-tabs.tsx";
import { ThreadSchema } from "#app/features/discussions/schemas.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { now } from "#app/lib/clock.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityHeader, describeTimeBox, getCommunityForActor, leaveCommunity, listAnnouncements } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { COMMUNITY_ROLE_LABEL } from "#app/features/communities/roles.ts";
import { PhaseBanner, TimeBox } from "#app/features/communities/time-box.tsx";
import { formatDayInZone, formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, actOn, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { imagesOfForm, readPostForm } from "#app/features/attachments/form.server.ts";
import { ImageFields } from "#app/features/attachments/images.tsx";
import { MentionSuggest } from "#app/features/mentions/mention-suggest.tsx";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button, buttonClass } from "#app/ui/button.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";

import { count } from "#app/lib/plural.ts";
import { myProgress } from "#app/features/completion/completion.server.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const view = await orRespond(getCommunityForActor(getDb(), user, params.slug ?? ""));
  const { community } = view;
  const url = new URL(request.url);
  const [announcements, list, progress] = await Promise.all([
    listAnnouncements(getDb(), community.id),
    listThreads(getDb(), user, view, parseCursor(url.searchParams.get("after"))),
    myProgress(getDb(), user, view),
  ]);
  const participate = decide(user, "community.participate", view);
  const at = now();
  const shown = (t: (typeof list.threads)[number]) => ({
    id: t.id,
    title: t.title,
    author: t.author,
    authorId: t.author_id,
    replies: t.reply_count,
    activity: formatRelative(Math.min(t.last_activity_at, at), at),
    unread: t.unread,
    kind: t.kind,
    masked: t.masked === 1,
    pinned: t.pinned_at !== null,
    locked: t.locked_at !== null,
    scheduledFor: t.scheduled ? formatInZone(t.visible_from, community.time_zone) : null,
  });
  return {
    pinned: list.pinned.map(shown),
    threads: list.threads.map(shown),
    nextPage: list.next ? `?after=${formatCursor(list.next)}` : null,
    canPost: participate.allowed,
    canPrompt: can(user, "discussion.lead", view),
    timeZone: community.time_zone,
    whyNot: participate.allowed ? null : participate.message,
    announcements: announcements.map((a) => ({ id: a.id, body: a.body, when: formatDayInZone(a.created_at, community.time_zone) })),
    slug: community.slug,
    name: community.name,
    purposeHtml: community.purpose_html,
    voteBudget: community.vote_budget,
    consentVersion: community.consent_version,
    box: describeTimeBox(community),
    header: communityHeader(community),
    closedOn: formatDayInZone(community.ends_at, community.time_zone),
    membershipRole: view.membership?.role ?? null,
    // ?confirm=leave asks before leaving: a page of its own state, so it works without JavaScript.
    confirmLeave: url.searchParams.get("confirm") === "leave" && view.membership !== null,
    canManage: can(user, "community.manage", view),
    canReadout: can(user, "community.readout", view),
    canSeeDashboard: can(user, "dashboard.view", view),
    canSeeCompletion: can(user, "completion.view", view),
    progress,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  // A new thread may carry images: the form is read with the upload handler's limits.
  return act(async () => {
    const form = await readPostForm(request);
    // The new-thread form names no intent; leaving does.
    return actOn(form.fields.get("intent") ?? "start", {
      start: async () => {
        const { title, body, prompt, masked, appearsAt } = parseForm(ThreadSchema, form.fields);
        const images = await imagesOfForm(getDb(), user, slug, form);
        const { threadId } = await startThread(getDb(), user, slug, { title, body, images, prompt: prompt ? { masked, appearsAt } : undefined });
        return redirect(`/c/${slug}/t/${threadId}`);
      },
      leave: async () => {
        await leaveCommunity(getDb(), user, slug);
        return redirect(`/?left=${encodeURIComponent(slug)}`);
      },
    });
  });
}

// A 429 says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.name} · Cohort` : "Cohort" }];

export default function CommunityPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-10">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <CommunityHeader header={data.header} title />
          {data.membershipRole ? <p className="mt-1 text-sm text-slate-600">You are a {COMMUNITY_ROLE_LABEL[data.membershipRole].toLowerCase()} here.</p> : null}
          {data.progress && data.progress.prompts > 0 ? (
            <p className="mt-1 text-sm font-medium text-brand-800" data-progress>
              {data.progress.answered} of {count(data.progress.prompts, "research prompt")} answered
            </p>
          ) : null}
        </div>
        {data.canManage || data.canSeeDashboard ? (
          <div className="flex flex-wrap gap-2">
            {data.canSeeDashboard ? (
              <Link to={`/c/${data.slug}/dashboard`} className={buttonClass("secondary")}>
                Dashboard
              </Link>
            ) : null}
            {data.canSeeCompletion ? (
              <Link to={`/c/${data.slug}/completion`} className={buttonClass("secondary")}>
                Completion
              </Link>
            ) : null}
            {data.canManage ? (
              <>
                <Link to={`/c/${data.slug}/members`} className={buttonClass("secondary")}>
                  Members and invitations
                </Link>
                <Link to={`/c/${data.slug}/edit`} className={buttonClass("secondary")}>
                  Edit community
                </Link>
                <Link to={`/moderation?community=${data.slug}`} className={buttonClass("secondary")}>
                  Moderation
                </Link>
              </>
            ) : null}
          </div>
        ) : null}
      </div>
      {data.confirmLeave ? <LeaveConfirmation slug={data.slug} /> : null}
      {data.box.phase === "draft" && data.canManage ? (
        // A draft's next step is publishing it: offered here, where its staff look first.
        <Form method="post" action={`/c/${data.slug}/edit`} className="flex flex-wrap items-center gap-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3">
          <input type="hidden" name="intent" value="publish" />
          <p className="flex-1 text-sm text-amber-900">This is a draft. Only staff can see it until it is published; publishing shows it to its members, with its brief and dates.</p>
          <Button>Publish</Button>
        </Form>
      ) : (
        <PhaseBanner box={data.box} closedOn={data.closedOn} />
      )}
      {data.canReadout && data.box.phase !== "draft" ? (
        <Link to={`/c/${data.slug}/readout`} className="block rounded-lg bg-brand-600 px-5 py-4 font-semibold text-white no-underline hover:bg-brand-700 hover:no-underline">
          {data.box.phase === "closed" || data.box.phase === "archived" ? "See what your feedback became →" : "Readout: what this community's feedback fed so far →"}
        </Link>
      ) : null}
      {data.announcements.length ? (
        <section aria-labelledby="announcements-heading" className="rounded-lg border border-brand-200 bg-brand-50 p-5">
          <h2 id="announcements-heading" className="text-sm font-semibold uppercase tracking-wide text-brand-700">
            Announcements
          </h2>
          <ul className="mt-2 space-y-2">
            {data.announcements.map((a) => (
              <li key={a.id} className="text-sm text-slate-800">
                <span className="text-slate-500">{a.when}:</span> {a.body}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TimeBox box={data.box} />
      <section aria-labelledby="purpose-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="purpose-heading" className="text-lg font-semibold">
          What this community is for
        </h2>
        {/* Rendered from Markdown with raw HTML disabled when it was written (app/lib/markdown.server.ts). */}
        <div className="prose-cohort mt-3" dangerouslySetInnerHTML={{ __html: data.purposeHtml }} />
        {data.voteBudget ? <p className="mt-4 text-sm text-slate-600">Each member has {data.voteBudget} votes to spread across ideas.</p> : null}
        <p className="mt-4 text-sm">
          <Link to={`/c/${data.slug}/consent`}>{data.consentVersion > 0 ? `Consent (version ${data.consentVersion}) and withdrawal` : "Consent"}</Link>
        </p>
      </section>
      <CommunityTabs slug={data.slug} current="discussions" />
      <Discussions />
      {data.membershipRole && !data.confirmLeave ? (
        <p className="text-right">
          <Link to="?confirm=leave" className={buttonClass("ghost")}>
            Leave this community…
          </Link>
        </p>
      ) : null}
    </main>
  );
}

/** What leaving means, said before it happens; Cancel keeps everything as it was. */
function LeaveConfirmation({ slug }: { slug: string }) {
  return (
    <section aria-labelledby="leave-heading" className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-5">
      <h2 id="leave-heading" className="text-lg font-semibold text-red-900">
        Leave this community?
      </h2>
      <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
        <li>You lose access to its discussions and ideas, and you will no longer be told about new posts, prompts or date changes.</li>
        <li>What you wrote stays, under your name. To have it anonymised in this community only, withdraw from the study on its Consent page instead; to remove it everywhere, erase your account from Your account.</li>
        <li>You will still be told what became of your feedback, and once the community closes you can read its readout from your home page.</li>
      </ul>
      <Form method="post" className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="intent" value="leave" />
        <Button variant="danger">Leave this community</Button>
        <Link to={`/c/${slug}`}>Cancel, stay a member</Link>
      </Form>
    </section>
  );
}

function Discussions() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="discussions-heading" className="space-y-4">
      <h2 id="discussions-heading" className="text-xl font-bold">Discussions</h2>
      {data.threads.length + data.pinned.length === 0 ? (
        <p className="text-slate-600">No threads yet.{data.canPost ? " Start the first one below." : ""}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          {[...data.pinned, ...data.threads].map((thread) => (
            <ThreadRow key={thread.id} thread={thread} slug={data.slug} />
          ))}
        </ul>
      )}
      {data.nextPage ? <Link to={data.nextPage}>Older threads</Link> : null}
      {data.canPost ? (
        <Form method="post" encType="multipart/form-data" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h3 className="font-semibold">Start a thread</h3>
          <ActionError data={actionData} />
          <div className="space-y-1">
            <label htmlFor="thread-title" className="block text-sm font-medium">Title</label>
            <input id="thread-title" name="title" required minLength={3} maxLength={200} className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600" />
          </div>
          <div className="space-y-1">
            <label htmlFor="thread-body" className="block text-sm font-medium">What do you want to say?</label>
            <textarea id="thread-body" name="body" required rows={5} maxLength={20000} aria-describedby="thread-body-hint" className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600" />
            <MentionSuggest slug={data.slug} textareaId="thread-body" />
            <p id="thread-body-hint" className="text-sm text-slate-500">Markdown works: **bold**, _italic_, lists and links. Type @ and a name to mention a member.</p>
          </div>
          <ImageFields slug={data.slug} idPrefix="thread" />
          {data.canPrompt ? <PromptOptions timeZone={data.timeZone} /> : null}
          <Button>Post thread</Button>
        </Form>
      ) : data.whyNot && data.membershipRole ? (
        <p className="text-sm text-slate-600">{data.whyNot}</p>
      ) : null}
    </section>
  );
}

type ThreadItem = ReturnType<typeof useLoaderData<typeof loader>>["threads"][number];

function ThreadRow({ thread, slug }: { thread: ThreadItem; slug: string }) {
  const unread = thread.unread === "never-opened" ? "New" : thread.unread > 0 ? `${thread.unread > 99 ? "99+" : thread.unread} new` : null;
  return (
    <li className={`flex flex-wrap items-baseline justify-between gap-2 px-5 py-3 ${thread.kind === "prompt" ? "border-l-4 border-brand-500 bg-brand-50/50" : ""}`}>
      <span className="flex flex-wrap items-baseline gap-2">
        <ThreadBadges thread={thread} />
        <Link to={`/c/${slug}/t/${thread.id}`} className={`text-slate-900 wrap-anywhere ${unread ? "font-semibold" : "font-normal"}`}>
          {thread.title}
        </Link>
        {unread ? (
          <span className="rounded bg-brand-100 px-1.5 py-0.5 text-xs font-semibold text-brand-700">
            {unread}
            <span className="sr-only"> (unread)</span>
          </span>
        ) : null}
      </span>
      <span className="text-xs text-slate-500">
        <PersonLink id={thread.authorId} name={thread.author} /> · {thread.replies} {thread.replies === 1 ? "reply" : "replies"} · {thread.activity}
      </span>
    </li>
  );
}

/** For moderators and leaders: post the thread as a research prompt, masked and scheduled if they like. */
function PromptOptions({ timeZone }: { timeZone: string }) {
  return (
    <fieldset className="space-y-2 rounded-md bg-brand-50 p-4 ring-1 ring-brand-200">
      <legend className="sr-only">Research prompt</legend>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" name="prompt" /> Post as a research prompt (stands out, and every member is notified)
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="masked" /> Masked: participants see others&apos; answers only after posting their own
      </label>
      <div className="space-y-1">
        <label htmlFor="prompt-appears" className="block text-sm">
          Appears at (optional, {timeZone}; inside the community&apos;s dates)
        </label>
        <input id="prompt-appears" type="datetime-local" name="appearsAt" className="rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300" />
      </div>
    </fieldset>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "#app/features/auth/request.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { editPost, removeOwnPost, replyToThread } from "#app/features/discussions/posting.server.ts";
import { flagPost, moderatePost, setThreadState } from "#app/features/discussions/moderating.server.ts";
import { postSource, readThread, type ReplyWindow, type ShownPost } from "#app/features/discussions/reading.server.ts";
import { parsePostParam, ThreadActionSchema, type ThreadAction } from "#app/features/discussions/schemas.ts";
import { quoteMarkdown } from "#app/features/discussions/quote.ts";
import { PostCard, postAnchor, postParam, type PostView } from "#app/features/discussions/post-card.tsx";
import { ThreadBadges } from "#app/features/discussions/thread-badges.tsx";
import { ideaDetails, mergeIdea } from "#app/features/ideas/ideas.server.ts";
import { IdeaPanel } from "#app/features/ideas/idea-panel.tsx";
import { pollForThread } from "#app/features/polls/polls.server.ts";
import { PollPanel, pollPath } from "#app/features/polls/poll-panel.tsx";
import { PhaseBanner } from "#app/features/communities/time-box.tsx";
import { communityHeader, describeTimeBox } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { formatDayInZone, formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { imagesOfForm, imagesToRemove, readPostForm, type PostForm } from "#app/features/attachments/form.server.ts";
import { ImageFields } from "#app/features/attachments/images.tsx";
import { MentionSuggest } from "#app/features/mentions/mention-suggest.tsx";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button, buttonClass } from "#app/ui/button.tsx";
import { count } from "#app/lib/plural.ts";
import { askablePosts, askFollowUp, followUpsInThread } from "#app/features/follow-ups/follow-ups.server.ts";
import { FollowUpBox, AskFollowUpForm, type FollowUpView } from "#app/features/follow-ups/follow-up-box.tsx";

function windowFrom(url: URL): ReplyWindow {
  const after = parseCursor(url.searchParams.get("after"));
  const before = parseCursor(url.searchParams.get("before"));
  const from = parseCursor(url.searchParams.get("from"));
  return after ? { after } : before ? { before } : from ? { from } : "resume";
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const threadId = params.threadId ?? "";
  const url = new URL(request.url);
  const page = await orRespond(readThread(getDb(), user, slug, threadId, windowFrom(url)));
  const { view, thread } = page;
  const zone = view.community.time_zone;
  // Only what the page shows goes into the loader data (it is serialised into every page): formatted dates, not the times.
  const shown = ({ createdAt, editedAt, ...post }: ShownPost): PostView => ({
    ...post,
    when: formatInZone(createdAt, zone),
    edited: editedAt ? formatInZone(editedAt, zone) : null,
  });
  const opening = shown(page.opening);
  const replies = page.replies.map(shown);

  // ?edit= opens the reader's own post for editing; ?quote= starts a reply quoting a post; ?flag= asks why.
  const editing = parsePostParam(url.searchParams.get("edit"));
  const editable = editing && [opening, ...replies].find((p) => p.kind === editing.kind && p.id === editing.id && p.canChange);
  const quoting = parsePostParam(url.searchParams.get("quote"));
  const [editSource, quoteSource, idea, poll, followUps, askable] = await Promise.all([
    editable ? postSource(getDb(), user, slug, threadId, editing) : undefined,
    quoting ? postSource(getDb(), user, slug, threadId, quoting) : undefined,
    thread.kind === "idea" ? ideaDetails(getDb(), user, view, thread.id) : null,
    thread.kind === "idea" ? null : pollForThread(getDb(), user, view, thread),
    followUpsInThread(getDb(), user, view, thread.id),
    askablePosts(getDb(), user, view, [page.opening, ...page.replies]),
  ]);
  const asking = parsePostParam(url.searchParams.get("ask"));
  return {
    slug: view.community.slug,
    communityName: view.community.name,
    box: describeTimeBox(view.community),
    header: communityHeader(view.community),
    closedOn: formatDayInZone(view.community.ends_at, zone),
    thread: {
      id: thread.id,
      title: thread.title,
      kind: thread.kind,
      masked: thread.masked === 1,
      pinned: thread.pinned_at !== null,
      locked: thread.locked_at !== null,
      scheduledFor: thread.scheduled ? formatInZone(thread.visible_from, zone) : null,
      replyCount: thread.reply_count,
    },
    opening,
    replies,
    maskedUntilAnswered: page.masked,
    earlier: page.earlier ? `?before=${formatCursor({ at: page.earlier.created_at, id: page.earlier.id })}` : null,
    later: page.later ? `?after=${formatCursor({ at: page.later.created_at, id: page.later.id })}` : null,
    firstUnread: replies.find((reply) => reply.unread)?.id ?? null,
    can: page.can,
    poll,
    canAddPoll: poll === null && thread.kind !== "idea" && thread.removed === null && page.can.lead,
    replyRefusal: page.replyRefusal,
    editing: editable && editSource ? { kind: editable.kind, id: editable.id, markdown: editSource.markdown, title: editable.kind === "thread" ? thread.title : undefined } : null,
    flagging: parsePostParam(url.searchParams.get("flag")) ?? null,
    /** Private follow-ups this reader may read, by the post they are about ("kind:id"). */
    followUps: followUps.map((f): FollowUpView & { postKey: string } => ({ ...f, postKey: `${f.post.kind}:${f.post.id}`, asked: formatInZone(f.askedAt, zone) })),
    askable: [...askable],
    asking: asking && askable.has(`${asking.kind}:${asking.id}`) ? `${asking.kind}:${asking.id}` : null,
    quote: quoteSource ? quoteMarkdown(quoteSource.author, quoteSource.markdown) : "",
    idea: idea && {
      ...idea,
      suggestion: idea.suggestion && { ...idea.suggestion, answeredOn: idea.suggestion.answeredAt ? formatDayInZone(idea.suggestion.answeredAt, zone) : null },
    },
  };
}

async function perform(user: Actor, slug: string, threadId: string, action: ThreadAction, form: PostForm): Promise<string | undefined> {
  const db = getDb();
  switch (action.intent) {
    case "reply": {
      const images = await imagesOfForm(db, user, slug, form);
      return replyToThread(db, user, slug, threadId, { ...action, images }).then(({ replyId }) => `#reply-${replyId}`);
    }
    case "edit": {
      const images = await imagesOfForm(db, user, slug, form);
      return editPost(db, user, slug, threadId, action, { ...action, images, removeImages: imagesToRemove(form) }).then(() => `#${postAnchor(action)}`);
    }
    case "remove":
      return removeOwnPost(db, user, slug, threadId, action).then(() => `#${postAnchor(action)}`);
    case "flag":
      return flagPost(db, user, slug, threadId, action, action).then(() => `#${postAnchor(action)}`);
    case "hide":
    case "restore":
    case "keep":
      return moderatePost(db, user, slug, threadId, action, action.intent).then(() => `#${postAnchor(action)}`);
    case "pin":
    case "unpin":
      return setThreadState(db, user, slug, threadId, { pinned: action.intent === "pin" }).then(() => undefined);
    case "lock":
    case "unlock":
      return setThreadState(db, user, slug, threadId, { locked: action.intent === "lock" }).then(() => undefined);
    case "merge":
      return mergeIdea(db, user, slug, threadId, action.into).then(() => undefined);
    case "ask":
      return askFollowUp(db, user, slug, threadId, action, action).then(({ followUpId }) => `?asked=1#follow-up-${followUpId}`);
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const threadId = params.threadId ?? "";
  // Replies and edits may carry images: the form is read with the upload handler's limits.
  return act(async () => {
    const form = await readPostForm(request);
    // The schema names each intent: one it does not name is refused with the form's message.
    const target = await perform(user, slug, threadId, parseForm(ThreadActionSchema, form.fields), form);
    // Post/redirect/get: without JavaScript the browser shows the page again; with it, Remix
    // follows the redirect in place and revalidates, so the page never reloads.
    return redirect(`/c/${slug}/t/${threadId}${target ?? ""}`);
  });
}

// A 429 says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.thread.title} · ${data.communityName} · Cohort` : "Cohort" }];

export default function ThreadPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const pendingReply = navigation.state === "submitting" && navigation.formData?.get("intent") === "reply" ? String(navigation.formData.get("body") ?? "") : null;
  const asked = new URLSearchParams(location.search).has("asked");
  // A refused reply is said at the reply form, where its writer is; other refusals at the top.
  // (Without JavaScript the page comes back at its top, so the top is where the eye is.)
  const lastIntent = useRef<string | null>(null);
  if (navigation.formData) lastIntent.current = String(navigation.formData.get("intent"));
  const replyRefused = lastIntent.current === "reply";

  // Open at the first unread reply (the page already starts there; this brings it into view).
  useEffect(() => {
    if (!location.hash && page.firstUnread) document.getElementById(`reply-${page.firstUnread}`)?.scrollIntoView({ block: "start" });
    // Only when a page of the thread first shows.
  }, [page.thread.id, page.earlier]);

  /** With JavaScript, "Quote" quotes the passage selected in that post, or the whole post, without leaving the page. */
  function quote(event: React.MouseEvent<HTMLAnchorElement>, post: PostView) {
    const box = replyBox.current;
    const body = document.querySelector(`[data-post="${postParam(post)}"] [data-post-body]`);
    const selection = window.getSelection();
    const selected = selection && body && !selection.isCollapsed && body.contains(selection.anchorNode) ? selection.toString() : "";
    if (!box || !selected) return; // no selection: follow the link and quote the whole post
    event.preventDefault();
    box.value = `${box.value}${box.value ? "\n\n" : ""}${quoteMarkdown({ id: post.authorId, name: post.author }, selected)}`;
    box.focus();
    box.scrollIntoView({ block: "center" });
  }

  const postMode = (post: PostView) =>
    page.editing?.kind === post.kind && page.editing.id === post.id ? "edit" : page.flagging?.kind === post.kind && page.flagging.id === post.id && post.canFlag ? "flag" : "read";
  const canQuote = page.replyRefusal === null && !page.maskedUntilAnswered;

  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <CommunityHeader header={page.header} back={page.idea ? { to: `/c/${page.slug}/ideas`, label: `Ideas in ${page.communityName}` } : undefined} />
      <PhaseBanner box={page.box} closedOn={page.closedOn} />
      {replyRefused ? null : <ActionError data={actionData} />}
      {asked ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          Your follow-up is sent privately. The participant is told, and it waits in your open follow-ups until they answer.
        </p>
      ) : null}
      <article className={page.thread.kind === "prompt" ? "rounded-xl bg-brand-50 p-1 ring-2 ring-brand-300" : ""}>
        <PostCard
          post={page.opening}
          mode={postMode(page.opening)}
          source={page.editing?.kind === "thread" ? page.editing : undefined}
          canQuote={canQuote}
          canModerate={page.can.moderate}
          onQuote={quote}
          slug={page.slug}
          heading={
            <div className="mb-2 space-y-2">
              <ThreadBadges thread={page.thread} />
              <h1 className="text-2xl font-bold tracking-tight">{page.thread.title}</h1>
            </div>
          }
        />
      </article>
      <PostFollowUps post={page.opening} />
      {page.idea ? <IdeaPanel slug={page.slug} ideaId={page.thread.id} title={page.thread.title} idea={page.idea} /> : null}
      {page.poll ? <PollPanel poll={page.poll} slug={page.slug} threadId={page.thread.id} /> : null}
      {page.can.lead ? <LeadTools /> : null}
      <section aria-labelledby="replies-heading" className="space-y-3">
        <h2 id="replies-heading" className="text-lg font-semibold">
          {count(page.thread.replyCount, "reply", "replies")}
        </h2>
        {page.maskedUntilAnswered ? (
          <p role="status" className="rounded-lg border border-brand-200 bg-brand-50 p-4 text-sm text-brand-900">
            This prompt is masked so that everyone answers in their own words: you will see the other answers once you have posted yours.
          </p>
        ) : null}
        {page.earlier ? (
          <Link to={page.earlier} className="block text-sm">
            ↑ Earlier replies
          </Link>
        ) : null}
        <ol className="space-y-3">
          {page.replies.map((reply) => (
            <li key={reply.id}>
              {reply.id === page.firstUnread ? (
                <p id="first-unread" className="mb-3 flex items-center gap-3 text-xs font-semibold uppercase tracking-wide text-brand-700">
                  <span className="h-px flex-1 bg-brand-300" /> New since your last visit <span className="h-px flex-1 bg-brand-300" />
                </p>
              ) : null}
              <PostCard
                post={reply}
                mode={postMode(reply)}
                source={page.editing?.kind === "reply" && page.editing.id === reply.id ? page.editing : undefined}
                canQuote={canQuote}
                canModerate={page.can.moderate}
                onQuote={quote}
                slug={page.slug}
              />
              <PostFollowUps post={reply} />
            </li>
          ))}
          {pendingReply ? (
            <li aria-live="polite" className="rounded-lg bg-white p-5 opacity-70 shadow-sm ring-1 ring-slate-200">
              <p className="text-sm text-slate-500">Posting your reply…</p>
              <p className="mt-2 whitespace-pre-wrap text-slate-800">{pendingReply}</p>
            </li>
          ) : null}
        </ol>
        {page.later ? (
          <Link to={page.later} className="block text-sm">
            Later replies ↓
          </Link>
        ) : null}
      </section>
      {page.replyRefusal === null ? (
        <Form method="post" encType="multipart/form-data" key={page.thread.replyCount} id="reply-form" preventScrollReset className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <input type="hidden" name="intent" value="reply" />
          <label htmlFor="reply-body" className="block text-sm font-medium">
            {page.maskedUntilAnswered ? "Your answer" : "Your reply"}
          </label>
          <textarea
            ref={replyBox}
            id="reply-body"
            name="body"
            required
            rows={5}
            maxLength={20000}
            defaultValue={page.quote}
            aria-describedby="reply-hint"
            className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
          />
          <MentionSuggest slug={page.slug} textareaId="reply-body" />
          <p id="reply-hint" className="text-sm text-slate-500">
            Markdown works. To quote part of a post, select it and press Quote. Type @ and a name to mention a member.
          </p>
          <ImageFields slug={page.slug} idPrefix="reply" />
          {replyRefused ? <ActionError data={actionData} /> : null}
          <Button disabled={pendingReply !== null}>{pendingReply !== null ? "Posting…" : page.maskedUntilAnswered ? "Post my answer" : "Post reply"}</Button>
        </Form>
      ) : page.box.phase === "active" ? (
        // Outside the open phase the banner above already says why.
        <p role="status" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          {page.replyRefusal}
        </p>
      ) : null}
    </main>
  );
}

/** The private follow-ups on one post that this reader may read, and the moderator's or leader's way to ask one. */
function PostFollowUps({ post }: { post: PostView }) {
  const page = useLoaderData<typeof loader>();
  const key = postParam(post);
  const mine = page.followUps.filter((f) => f.postKey === key);
  const askable = page.askable.includes(key);
  if (!mine.length && !askable) return null;
  return (
    <div className="ml-4 mt-2 space-y-2 border-l-2 border-violet-200 pl-4">
      {mine.map((f) => (
        <FollowUpBox key={f.id} followUp={f} />
      ))}
      {page.asking === key ? (
        <AskFollowUpForm post={post} />
      ) : askable ? (
        <Link to={`?ask=${key}#ask-${key.replace(":", "-")}`} preventScrollReset className="inline-block max-w-full text-sm font-medium wrap-anywhere">
          Follow up privately with {post.author}
        </Link>
      ) : null}
    </div>
  );
}

/** Pin and lock: for moderators and the community's discussion leaders. */
function LeadTools() {
  const { thread, slug, canAddPoll } = useLoaderData<typeof loader>();
  return (
    <Form method="post" replace className="flex flex-wrap items-center gap-2 rounded-lg bg-slate-100 px-4 py-2 text-sm">
      <span className="mr-auto font-medium text-slate-700">Lead this thread</span>
      {canAddPoll ? (
        <Link to={pollPath(slug, thread.id)} className={buttonClass("secondary", "px-3 py-1")}>
          Add a poll
        </Link>
      ) : null}
      <Button variant="secondary" name="intent" value={thread.pinned ? "unpin" : "pin"} className="px-3 py-1">
        {thread.pinned ? "Unpin" : "Pin to top"}
      </Button>
      <Button variant="secondary" name="intent" value={thread.locked ? "unlock" : "lock"} className="px-3 py-1">
        {thread.locked ? "Unlock" : "Lock"}
      </Button>
    </Form>
  );
}

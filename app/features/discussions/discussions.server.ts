import type { Kysely } from "kysely";
import { named } from "#app/lib/named-text.ts";
import { sql } from "kysely";
import type { Database, FlagReason, PostKind, Removal, ThreadKind } from "#db/schema.ts";
import { assertAllowed, can, decide, type Actor } from "#app/features/auth/policy.ts";
import { reserveAttempt, type Limit } from "#app/features/auth/rate-limit.server.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { DAY, HOUR, SECOND, now } from "#app/lib/clock.ts";
import { formatInZone, fromLocalInput } from "#app/lib/dates.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { notify, notifyEach, notifyMembers } from "#app/features/notifications/notifications.server.ts";
import { Refusal, describeWait } from "#app/lib/refusal.ts";
import { removalNotice } from "./removal.ts";
import { maskedRepliesVisible, threadVisible } from "./visibility.ts";
import { attachImages, deleteFiles, detachImages, imagesOf, type ImageChoice, type ShownImage } from "#app/features/attachments/attachments.server.ts";
import { linkMentions, recordMentions, resolveMentions } from "#app/features/mentions/mentions.server.ts";

type Db = Kysely<Database>;

/** Posting limits per member (quality.md): a thread per 15 s and 20 a day, a reply per 5 s; flags 30 an hour. */
export function postingLimits(kind: "thread" | "reply" | "flag", userId: string): Limit[] {
  switch (kind) {
    case "thread":
      return [
        { bucket: `thread:burst:${userId}`, max: 1, windowMs: 15 * SECOND },
        { bucket: `thread:day:${userId}`, max: 20, windowMs: DAY },
      ];
    case "reply":
      return [{ bucket: `reply:burst:${userId}`, max: 1, windowMs: 5 * SECOND }];
    case "flag":
      return [{ bucket: `flag:hour:${userId}`, max: 30, windowMs: HOUR }];
  }
}

const LIMIT_NOUN = { thread: "posting threads", reply: "posting replies", flag: "flagging posts" } as const;

export async function enforcePostingLimits(db: Db, kind: "thread" | "reply" | "flag", userId: string): Promise<void> {
  const state = await reserveAttempt(db, postingLimits(kind, userId));
  if (state.blocked) {
    throw new Refusal(429, `You are ${LIMIT_NOUN[kind]} faster than we allow. Try again in ${describeWait(state.retryAfterMs)}.`, {
      retryAfterSeconds: Math.ceil(state.retryAfterMs / 1000),
    });
  }
}

export const threadLink = (slug: string, threadId: string) => `/c/${slug}/t/${threadId}`;
/** A link that opens the thread at one reply, however long the thread is. */
export const replyLink = (slug: string, threadId: string, reply: { id: string; created_at: number }) =>
  `${threadLink(slug, threadId)}?from=${reply.created_at}.${reply.id}#reply-${reply.id}`;
/** A link to a post: its thread for an opening post, the thread opened at it for a reply. */
export const postLink = (slug: string, threadId: string, post: { kind: PostKind; id: string; created_at: number | null }) =>
  post.kind === "reply" && post.created_at !== null ? replyLink(slug, threadId, { id: post.id, created_at: post.created_at }) : threadLink(slug, threadId);

export interface PromptOptions {
  masked: boolean;
  /** When participants first see it, as a wall time in the community's zone ("2026-03-04T09:00"); now when absent or past. */
  appearsAt: string | null;
}

/**
 * Start a thread where the policy lets this member write now (an open community). A research
 * prompt needs a moderator or leader, may be scheduled inside the community's window, and
 * notifies every member when it appears.
 */
export async function startThread(
  db: Db,
  actor: Actor,
  slug: string,
  input: { title: string; body: string; prompt?: PromptOptions; images?: ImageChoice[] },
): Promise<{ threadId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, input.prompt ? "discussion.lead" : "community.participate", view);
  const visibleFrom = input.prompt ? scheduledTime(view, input.prompt.appearsAt, now()) : now();
  return postThread(db, actor, view, { ...input, kind: input.prompt ? "prompt" : "discussion", masked: input.prompt?.masked ?? false, visibleFrom }, async (trx, threadId) => {
    if (!input.prompt) return;
    await notifyMembers(
      trx,
      view.community.id,
      { kind: "prompt.new", title: named`New research prompt in ${view.community.name}: "${input.title}"`, link: threadLink(slug, threadId), at: visibleFrom },
      actor.id,
    );
  });
}

/**
 * Write a thread the caller has already been allowed to post (within the posting limits),
 * and whatever else belongs with it in the same transaction (an idea's row, notifications).
 */
export async function postThread(
  db: Db,
  actor: Actor,
  view: CommunityView,
  input: { title: string; body: string; kind: ThreadKind; masked: boolean; visibleFrom: number; images?: ImageChoice[] },
  alongside?: (trx: Db, threadId: string) => Promise<void>,
): Promise<{ threadId: string }> {
  await enforcePostingLimits(db, "thread", actor.id);
  const at = now();
  const threadId = newId();
  const mentioned = await resolveMentions(db, view.community.id, input.body);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("threads")
      .values({
        id: threadId,
        community_id: view.community.id,
        author_id: actor.id,
        title: input.title,
        body_markdown: input.body,
        body_html: renderMarkdown(linkMentions(input.body, mentioned)),
        reply_count: 0,
        created_at: at,
        // A scheduled prompt takes its place in the list when it appears.
        last_activity_at: input.visibleFrom,
        kind: input.kind,
        masked: input.masked ? 1 : 0,
        visible_from: input.visibleFrom,
        pinned_at: null,
        locked_at: null,
        edited_at: null,
        removed: null,
        removed_at: null,
      })
      .execute();
    // Your own thread is not news to you.
    await markRead(trx, actor.id, threadId, { at: input.visibleFrom, id: "" });
    await attachImages(trx, actor, { communityId: view.community.id, kind: "thread", id: threadId, threadId }, input.images ?? []);
    await recordMentions(trx, mentioned, {
      actor,
      post: { kind: "thread", id: threadId },
      thread: { id: threadId, title: input.title, masked: input.masked ? 1 : 0, visibleFrom: input.visibleFrom },
      community: view.community,
      link: threadLink(view.community.slug, threadId),
    });
    await alongside?.(trx, threadId);
  });
  return { threadId };
}

function scheduledTime({ community }: CommunityView, wallTime: string | null, at: number): number {
  if (wallTime === null) return at;
  const appearsAt = fromLocalInput(wallTime, community.time_zone);
  if (appearsAt === null) throw new Refusal(400, "Choose a valid time for the prompt to appear.");
  if (appearsAt <= at) return at;
  if (appearsAt < community.starts_at) {
    throw new Refusal(400, `Schedule it inside the community's window: it opens on ${formatInZone(community.starts_at, community.time_zone)}.`);
  }
  if (appearsAt >= community.ends_at) {
    throw new Refusal(400, `Schedule it inside the community's window: it closes on ${formatInZone(community.ends_at, community.time_zone)}.`);
  }
  return appearsAt;
}

type ThreadRow = Database["threads"];

/** A thread of this community that this actor may see: scheduled prompts stay hidden from participants until they appear. */
export async function findThread(db: Db, actor: Actor, view: CommunityView, threadId: string): Promise<ThreadRow & { author: string }> {
  const thread = await db
    .selectFrom("threads")
    .innerJoin("users", "users.id", "threads.author_id")
    .selectAll("threads")
    .select("users.display_name as author")
    // A thread id from another community is simply not found here.
    .where("threads.id", "=", threadId)
    .where("threads.community_id", "=", view.community.id)
    .executeTakeFirst();
  if (!thread || !threadVisible(thread, can(actor, "discussion.see-all", view), now())) {
    throw new Refusal(404, "We could not find that thread.");
  }
  return thread;
}

export async function replyToThread(db: Db, actor: Actor, slug: string, threadId: string, input: { body: string; images?: ImageChoice[] }): Promise<{ replyId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  assertAllowed(actor, "thread.reply", { ...view, thread: { locked: thread.locked_at !== null, hidden: thread.removed === "moderator" } });
  await enforcePostingLimits(db, "reply", actor.id);
  const at = now();
  const reply = { id: newId(), created_at: at };
  const mentioned = await resolveMentions(db, view.community.id, input.body);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("replies")
      .values({ ...reply, thread_id: thread.id, author_id: actor.id, body_markdown: input.body, body_html: renderMarkdown(linkMentions(input.body, mentioned)), edited_at: null, removed: null, removed_at: null })
      .execute();
    await attachImages(trx, actor, { communityId: view.community.id, kind: "reply", id: reply.id, threadId: thread.id }, input.images ?? []);
    await recordMentions(trx, mentioned, {
      actor,
      post: { kind: "reply", id: reply.id },
      thread: { id: thread.id, title: thread.title, masked: thread.masked, visibleFrom: thread.visible_from },
      community: view.community,
      link: replyLink(slug, thread.id, reply),
    });
    await trx
      .updateTable("threads")
      .set({ reply_count: sql`reply_count + 1`, last_activity_at: at })
      .where("id", "=", thread.id)
      .execute();
    // Your own reply is not news to you.
    await markRead(trx, actor.id, thread.id, { at, id: reply.id });
    if (thread.author_id !== actor.id) {
      await notify(trx, thread.author_id, {
        kind: "thread.reply",
        title: named`${{ user: actor.id }} replied to "${thread.title}"`,
        link: replyLink(slug, thread.id, reply),
      });
    }
  });
  return { replyId: reply.id };
}

/** One post: a thread's opening post, or a reply in it. */
export interface PostRef {
  kind: PostKind;
  id: string;
}

interface PostRow {
  id: string;
  author_id: string;
  body_markdown: string;
  removed: Removal | null;
  created_at: number;
}

export async function findPost(db: Db, thread: ThreadRow, ref: PostRef): Promise<PostRow> {
  if (ref.kind === "thread") {
    if (ref.id !== thread.id) throw new Refusal(404, "We could not find that post.");
    return thread;
  }
  const reply = await db
    .selectFrom("replies")
    .select(["id", "author_id", "body_markdown", "removed", "created_at"])
    .where("id", "=", ref.id)
    .where("thread_id", "=", thread.id)
    // A private follow-up's answer lives on its own page, never as a post of the thread.
    .where("follow_up_id", "is", null)
    .executeTakeFirst();
  if (!reply) throw new Refusal(404, "We could not find that post.");
  return reply;
}

const postFacts = (thread: ThreadRow, post: Pick<PostRow, "author_id" | "removed">) => ({ authorId: post.author_id, threadLocked: thread.locked_at !== null, removed: post.removed !== null });

/** Load what a change to one post needs, and ask the policy. */
async function postInContext(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef) {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const post = await findPost(db, thread, ref);
  return { view, thread, post, context: { ...view, post: postFacts(thread, post) } };
}

const tableOf = (kind: PostKind) => (kind === "thread" ? "threads" : "replies");

/**
 * The author edits their post; it shows as edited. A thread's title changes with its opening
 * post. Images may be added (up to the cap) or taken off; newly mentioned people are told.
 */
export async function editPost(
  db: Db,
  actor: Actor,
  slug: string,
  threadId: string,
  ref: PostRef,
  input: { body: string; title?: string; images?: ImageChoice[]; removeImages?: string[] },
): Promise<void> {
  const { view, thread, post, context } = await postInContext(db, actor, slug, threadId, ref);
  assertAllowed(actor, "post.change", context);
  const mentioned = await resolveMentions(db, view.community.id, input.body);
  const changes = { body_markdown: input.body, body_html: renderMarkdown(linkMentions(input.body, mentioned)), edited_at: now() };
  const removed = await db.transaction().execute(async (trx) => {
    if (ref.kind === "thread") {
      await trx
        .updateTable("threads")
        .set({ ...changes, ...(input.title ? { title: input.title } : {}) })
        .where("id", "=", post.id)
        .execute();
    } else {
      await trx.updateTable("replies").set(changes).where("id", "=", post.id).execute();
    }
    const gone = await detachImages(trx, actor, { kind: ref.kind, id: post.id }, input.removeImages ?? []);
    await attachImages(trx, actor, { communityId: view.community.id, kind: ref.kind, id: post.id, threadId: thread.id }, input.images ?? []);
    await recordMentions(trx, mentioned, {
      actor,
      post: { kind: ref.kind, id: post.id },
      thread: { id: thread.id, title: input.title ?? thread.title, masked: thread.masked, visibleFrom: thread.visible_from },
      community: view.community,
      link: postLink(slug, thread.id, { kind: ref.kind, id: post.id, created_at: post.created_at }),
    });
    return gone;
  });
  await deleteFiles(removed);
}

/** The author removes their post: it stays in place as "removed by its author". */
export async function removeOwnPost(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef): Promise<void> {
  const { post, context } = await postInContext(db, actor, slug, threadId, ref);
  assertAllowed(actor, "post.change", context);
  await db.updateTable(tableOf(ref.kind)).set({ removed: "author", removed_at: now() }).where("id", "=", post.id).execute();
}

/** A member flags someone else's post for the moderators, once per post. */
export async function flagPost(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef, input: { reason: FlagReason; note?: string }): Promise<void> {
  const { view, post, context } = await postInContext(db, actor, slug, threadId, ref);
  assertAllowed(actor, "post.flag", context);
  await enforcePostingLimits(db, "flag", actor.id);
  const inserted = await db
    .insertInto("flags")
    .values({
      id: newId(),
      community_id: view.community.id,
      thread_id: threadId,
      post_kind: ref.kind,
      post_id: post.id,
      post_author_id: post.author_id,
      reporter_id: actor.id,
      reason: input.reason,
      note: input.note || null,
      created_at: now(),
      resolved_at: null,
      resolution: null,
      resolved_by: null,
    })
    .onConflict((conflict) => conflict.columns(["reporter_id", "post_kind", "post_id"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new Refusal(409, "You have already flagged this post; a moderator will look at it.");
  }
}

export type Moderation = "hide" | "restore" | "keep";

const OUTCOME_TEXT: Record<Moderation, { author: string; reporters: string | null }> = {
  hide: { author: "A moderator hid your post", reporters: "A moderator hid a post you flagged" },
  restore: { author: "A moderator restored your post", reporters: null },
  keep: { author: "A moderator reviewed a flag on your post and kept it visible", reporters: "A moderator reviewed a post you flagged and kept it visible" },
};

/**
 * A moderator hides a post ("hidden by a moderator"), restores one they hid, or keeps a
 * flagged post. Open flags on it are resolved, and the author (and whoever flagged it) is told.
 */
export async function moderatePost(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef, action: Moderation): Promise<void> {
  const { view, thread, post } = await postInContext(db, actor, slug, threadId, ref);
  assertAllowed(actor, "discussion.moderate", view);
  if (action === "hide" && post.removed) throw new Refusal(409, post.removed === "author" ? "Its author already removed this post." : "This post is already hidden.");
  if (action === "restore" && post.removed !== "moderator") throw new Refusal(409, "Only a post a moderator hid can be restored.");
  const at = now();
  const link = postLink(slug, thread.id, { kind: ref.kind, id: post.id, created_at: post.created_at });
  const where = `"${thread.title}" in ${view.community.name}`;
  await db.transaction().execute(async (trx) => {
    if (action !== "keep") {
      await trx
        .updateTable(tableOf(ref.kind))
        .set(action === "hide" ? { removed: "moderator", removed_at: at } : { removed: null, removed_at: null })
        .where("id", "=", post.id)
        .execute();
    }
    const reporters = await trx
      .updateTable("flags")
      .set({ resolved_at: at, resolution: action === "hide" ? "hidden" : "kept", resolved_by: actor.id })
      .where("post_kind", "=", ref.kind)
      .where("post_id", "=", post.id)
      .where("resolved_at", "is", null)
      .returning("reporter_id")
      .execute();
    const text = OUTCOME_TEXT[action];
    await notifyEach(trx, [
      ...(post.author_id !== actor.id ? [{ userId: post.author_id, input: { kind: "flag.outcome" as const, title: named`${text.author} in ${where}.`, link } }] : []),
      ...(text.reporters !== null
        ? reporters.map(({ reporter_id }) => ({ userId: reporter_id, input: { kind: "flag.outcome" as const, title: named`${text.reporters!} in ${where}. Thank you for flagging it.`, link } }))
        : []),
    ]);
  });
}

/** Pin a thread to the top of its community's list, or lock it against new replies. */
export async function setThreadState(db: Db, actor: Actor, slug: string, threadId: string, change: { pinned?: boolean; locked?: boolean }): Promise<void> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  assertAllowed(actor, "discussion.lead", view);
  const at = now();
  await db
    .updateTable("threads")
    .set({
      ...(change.pinned === undefined ? {} : { pinned_at: change.pinned ? at : null }),
      ...(change.locked === undefined ? {} : { locked_at: change.locked ? at : null }),
    })
    .where("id", "=", thread.id)
    .execute();
}

/** Remember how far this member has read: never backwards. */
async function markRead(db: Db, userId: string, threadId: string, key: Cursor): Promise<void> {
  await db
    .insertInto("thread_reads")
    .values({ user_id: userId, thread_id: threadId, last_read_at: key.at, last_read_id: key.id })
    .onConflict((conflict) =>
      conflict
        .columns(["user_id", "thread_id"])
        .doUpdateSet({ last_read_at: (eb) => eb.ref("excluded.last_read_at"), last_read_id: (eb) => eb.ref("excluded.last_read_id") })
        .where((eb) =>
          eb.or([
            eb("excluded.last_read_at", ">", eb.ref("thread_reads.last_read_at")),
            eb.and([eb("excluded.last_read_at", "=", eb.ref("thread_reads.last_read_at")), eb("excluded.last_read_id", ">", eb.ref("thread_reads.last_read_id"))]),
          ]),
        ),
    )
    .execute();
}

export const THREADS_PER_PAGE = 30;
export const REPLIES_PER_PAGE = 50;
export const PINNED_LIMIT = 10;
/** The thread list counts new replies up to this, then says "99+". */
const UNREAD_COUNT_CAP = 100;

/**
 * A page of a community's threads, pinned first (on the first page), then by latest activity,
 * by key. Each carries this reader's unread state: never opened, or how many replies are new.
 */
export async function listThreads(db: Db, actor: Actor, view: CommunityView, after?: Cursor) {
  const seeAll = can(actor, "discussion.see-all", view);
  const at = now();
  const base = db
    .selectFrom("threads")
    .innerJoin("users", "users.id", "threads.author_id")
    .leftJoin("thread_reads", (join) => join.onRef("thread_reads.thread_id", "=", "threads.id").on("thread_reads.user_id", "=", actor.id))
    .select((eb) => [
      "threads.id",
      "threads.title",
      "threads.kind",
      "threads.masked",
      "threads.reply_count",
      "threads.last_activity_at",
      "threads.visible_from",
      "threads.pinned_at",
      "threads.locked_at",
      "threads.removed",
      "threads.author_id",
      "users.display_name as author",
      "thread_reads.last_read_at",
      eb
        .selectFrom(
          eb
            .selectFrom("replies")
            .select("replies.id")
            .whereRef("replies.thread_id", "=", "threads.id")
            .where("replies.follow_up_id", "is", null)
            .where((inner) => inner("replies.created_at", ">", inner.ref("thread_reads.last_read_at")))
            .limit(UNREAD_COUNT_CAP)
            .as("recent"),
        )
        .select((c) => c.fn.countAll<number>().as("n"))
        .as("new_replies"),
    ])
    .where("threads.community_id", "=", view.community.id)
    // Ideas have their own list.
    .where("threads.kind", "!=", "idea")
    .$if(!seeAll, (q) => q.where("threads.visible_from", "<=", at));
  let page = base.where("threads.pinned_at", "is", null).orderBy("threads.last_activity_at", "desc").orderBy("threads.id", "desc").limit(THREADS_PER_PAGE + 1);
  if (after) {
    page = page.where(pastCursor("threads.last_activity_at", "threads.id", after, "<"));
  }
  const [pinned, rows] = await Promise.all([
    after ? Promise.resolve([]) : base.where("threads.pinned_at", "is not", null).orderBy("threads.pinned_at", "desc").limit(PINNED_LIMIT).execute(),
    page.execute(),
  ]);
  const moderate = can(actor, "discussion.moderate", view);
  const shape = (row: (typeof rows)[number]) => ({
    ...row,
    title: row.removed && !moderate ? removalNotice(row.removed) : row.title,
    scheduled: row.visible_from > at,
    unread: row.last_read_at === null ? ("never-opened" as const) : Number(row.new_replies ?? 0),
  });
  const last = rows.slice(0, THREADS_PER_PAGE).at(-1);
  return {
    pinned: pinned.map(shape),
    threads: rows.slice(0, THREADS_PER_PAGE).map(shape),
    next: rows.length > THREADS_PER_PAGE && last ? { at: last.last_activity_at, id: last.id } : null,
  };
}

/** Which replies to show: from the start, after or before a key, from a key on, or (no choice) where this reader left off. */
export type ReplyWindow = { after: Cursor } | { before: Cursor } | { from: Cursor } | "resume";

export interface ShownPost {
  kind: PostKind;
  id: string;
  author: string;
  authorId: string;
  createdAt: number;
  editedAt: number | null;
  /** Null when removed and this reader may not see it. */
  bodyHtml: string | null;
  /** Its images, shown with its text (none when the text is not shown). */
  images: ShownImage[];
  removed: Removal | null;
  openFlags: number;
  canChange: boolean;
  canFlag: boolean;
  /** This reader has flagged the post (once is all a member may). */
  flaggedByReader: boolean;
  unread: boolean;
}

/**
 * A thread and one page of its replies for this reader, by key; a fixed number of queries
 * whatever the thread's length. Opens where the reader left off, hides a masked prompt's
 * replies until the reader has answered, keeps removed posts' text from participants, and
 * records what was shown as read.
 */
export async function readThread(db: Db, actor: Actor, slug: string, threadId: string, window: ReplyWindow = "resume") {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const seeAll = can(actor, "discussion.see-all", view);
  const moderate = can(actor, "discussion.moderate", view);
  const [readState, answered, flagCounts, ownFlags] = await Promise.all([
    db.selectFrom("thread_reads").select(["last_read_at", "last_read_id"]).where("user_id", "=", actor.id).where("thread_id", "=", thread.id).executeTakeFirst(),
    thread.masked && !seeAll
      ? db.selectFrom("replies").select("id").where("author_id", "=", actor.id).where("thread_id", "=", thread.id).where("removed", "is", null).where("follow_up_id", "is", null).limit(1).executeTakeFirst()
      : Promise.resolve({ id: "not masked" }),
    moderate
      ? db
          .selectFrom("flags")
          .select(["post_id", (eb) => eb.fn.countAll<number>().as("n")])
          .where("thread_id", "=", thread.id)
          .where("resolved_at", "is", null)
          .groupBy("post_id")
          .execute()
      : Promise.resolve([]),
    db.selectFrom("flags").select(["post_kind", "post_id"]).where("thread_id", "=", thread.id).where("reporter_id", "=", actor.id).execute(),
  ]);
  const masked = !maskedRepliesVisible(thread, seeAll, answered !== undefined);
  const lastRead: Cursor | null = readState ? { at: readState.last_read_at, id: readState.last_read_id } : null;

  let page: { rows: ReplyRow[]; earlier: boolean; later: boolean } = { rows: [], earlier: false, later: false };
  if (!masked) {
    if (window === "resume") {
      // Open at the first unread reply; with none unread, at the latest ones; on a first visit,
      // or when the whole thread fits on one page, at the start (new replies marked).
      const fits = thread.reply_count <= REPLIES_PER_PAGE;
      page = lastRead && !fits ? await forward(db, thread.id, lastRead, false) : await forward(db, thread.id, null, false);
      if (lastRead && page.rows.length === 0) page = await backward(db, thread.id, null);
    } else if ("before" in window) {
      page = await backward(db, thread.id, window.before);
    } else {
      page = "after" in window ? await forward(db, thread.id, window.after, false) : await forward(db, thread.id, window.from, true);
    }
  }

  const shownLast = page.rows.at(-1);
  const readUpTo = shownLast ? { at: shownLast.created_at, id: shownLast.id } : { at: thread.created_at, id: "" };
  // Only write when there is something new to remember: re-reading costs no write (and no lock).
  if (!masked && (!lastRead || isAfter({ created_at: readUpTo.at, id: readUpTo.id }, lastRead))) await markRead(db, actor.id, thread.id, readUpTo);

  const flagsOn = new Map(flagCounts.map((f) => [f.post_id, Number(f.n)]));
  const flaggedByReader = new Set(ownFlags.map((f) => `${f.post_kind}:${f.post_id}`));
  // One query for the images of every post on the page.
  const images = await imagesOf(db, [{ kind: "thread" as const, id: thread.id }, ...page.rows.map((row) => ({ kind: "reply" as const, id: row.id }))]);
  const locked = thread.locked_at !== null;
  const show = (kind: PostKind, row: ThreadRow | ReplyRow, author: string): ShownPost => {
    const context = { ...view, post: postFacts(thread, row) };
    const flagged = flaggedByReader.has(`${kind}:${row.id}`);
    return {
      kind,
      id: row.id,
      author,
      authorId: row.author_id,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      bodyHtml: row.removed && !moderate ? null : row.body_html,
      images: row.removed && !moderate ? [] : (images.get(`${kind}:${row.id}`) ?? []),
      removed: row.removed,
      openFlags: flagsOn.get(row.id) ?? 0,
      canChange: can(actor, "post.change", context),
      canFlag: !flagged && can(actor, "post.flag", context),
      flaggedByReader: flagged,
      unread: kind === "reply" && lastRead !== null && isAfter(row, lastRead),
    };
  };
  return {
    view,
    thread: {
      ...thread,
      title: thread.removed && !moderate ? removalNotice(thread.removed) : thread.title,
      scheduled: thread.visible_from > now(),
    },
    opening: show("thread", thread, thread.author),
    replies: page.rows.map((row) => show("reply", row, row.author)),
    /** A masked prompt this reader has not answered: replies stay hidden until they do. */
    masked,
    earlier: page.earlier ? page.rows[0] : undefined,
    later: page.later ? shownLast : undefined,
    can: {
      lead: can(actor, "discussion.lead", view),
      moderate,
    },
    /** Why this reader cannot reply, when they cannot. */
    replyRefusal: (() => {
      const decision = decide(actor, "thread.reply", { ...view, thread: { locked, hidden: thread.removed === "moderator" } });
      return decision.allowed ? null : decision.message;
    })(),
  };
}

const isAfter = (row: { created_at: number; id: string }, key: Cursor) => row.created_at > key.at || (row.created_at === key.at && row.id > key.id);

type ReplyRow = Awaited<ReturnType<ReturnType<typeof replies>["execute"]>>[number];

function replies(db: Db, threadId: string) {
  return db
    .selectFrom("replies")
    .innerJoin("users", "users.id", "replies.author_id")
    .select(["replies.id", "replies.author_id", "replies.body_html", "replies.created_at", "replies.edited_at", "replies.removed", "users.display_name as author"])
    .where("replies.thread_id", "=", threadId)
    // Answers to private follow-ups show only in their follow-up, to those who may read it.
    .where("replies.follow_up_id", "is", null);
}

/** Replies after a key (or from it, inclusive), oldest first; one query, which also says whether any come before. */
async function forward(db: Db, threadId: string, key: Cursor | null, inclusive: boolean) {
  let query = replies(db, threadId).orderBy("replies.created_at", "asc").orderBy("replies.id", "asc").limit(REPLIES_PER_PAGE + 1);
  if (key) {
    query = query
      .where(pastCursor("replies.created_at", "replies.id", key, inclusive ? ">=" : ">"))
      .select((eb) =>
        eb
          .selectFrom("replies as before")
          .select(sql<number>`1`.as("one"))
          .where("before.thread_id", "=", threadId)
          .where("before.follow_up_id", "is", null)
          .where(pastCursor("before.created_at", "before.id", key, inclusive ? "<" : "<="))
          .limit(1)
          .as("has_earlier"),
      );
  }
  const rows = (await query.execute()) as (ReplyRow & { has_earlier?: number | null })[];
  return { rows: rows.slice(0, REPLIES_PER_PAGE), earlier: rows[0]?.has_earlier != null, later: rows.length > REPLIES_PER_PAGE };
}

/** The replies just before a key (or the last ones), oldest first. */
async function backward(db: Db, threadId: string, key: Cursor | null) {
  let query = replies(db, threadId).orderBy("replies.created_at", "desc").orderBy("replies.id", "desc").limit(REPLIES_PER_PAGE + 1);
  if (key) {
    query = query.where(pastCursor("replies.created_at", "replies.id", key, "<"));
  }
  const rows = await query.execute();
  return { rows: rows.slice(0, REPLIES_PER_PAGE).reverse(), earlier: rows.length > REPLIES_PER_PAGE, later: key !== null };
}

/**
 * The Markdown of a post this reader may see, for quoting it in a reply (or editing it,
 * when it is theirs). Undefined when it is removed or behind a mask.
 */
export async function postSource(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef): Promise<{ author: { id: string; name: string }; markdown: string } | undefined> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const post = await findPost(db, thread, ref).catch(() => undefined);
  if (!post || post.removed) return undefined;
  if (ref.kind === "reply" && thread.masked && !can(actor, "discussion.see-all", view) && post.author_id !== actor.id) {
    const answered = await db.selectFrom("replies").select("id").where("author_id", "=", actor.id).where("thread_id", "=", thread.id).where("removed", "is", null).where("follow_up_id", "is", null).executeTakeFirst();
    if (!answered) return undefined;
  }
  const author = await db.selectFrom("users").select("display_name").where("id", "=", post.author_id).executeTakeFirstOrThrow();
  return { author: { id: post.author_id, name: author.display_name }, markdown: post.body_markdown };
}

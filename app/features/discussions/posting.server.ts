import type { Kysely } from "kysely";
import { named } from "#app/lib/named-text.ts";
import { sql } from "kysely";
import type { Database, ThreadKind } from "#db/schema.ts";
import { assertAllowed, type Actor } from "#app/features/auth/policy.ts";
import { reserveAttempt, type Limit } from "#app/features/auth/rate-limit.server.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { DAY, HOUR, SECOND, now } from "#app/lib/clock.ts";
import { formatInZone, fromLocalInput } from "#app/lib/dates.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { notify, notifyMembers } from "#app/features/notifications/notifications.server.ts";
import { Refusal, describeWait } from "#app/lib/refusal.ts";
import { attachImages, deleteFiles, detachImages, type ImageChoice } from "#app/features/attachments/attachments.server.ts";
import { linkMentions, recordMentions, resolveMentions } from "#app/features/mentions/mentions.server.ts";
import { postLink, replyLink, threadLink } from "./links.ts";
import { findThread, postInContext, tableOf, type PostRef } from "./posts.server.ts";
import { markRead } from "./reading.server.ts";

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

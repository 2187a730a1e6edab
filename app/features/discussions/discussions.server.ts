import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { hitLimit, type Limit } from "#app/features/auth/rate-limit.server.ts";
import { assertAllowed, getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { DAY, SECOND, now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { notify } from "#app/features/notifications/notifications.server.ts";
import { Refusal, describeWait } from "#app/lib/refusal.ts";

/** Posting limits per member (quality.md): a thread per 15 s and 20 a day, a reply per 5 s. */
export function postingLimits(kind: "thread" | "reply", userId: string): Limit[] {
  return kind === "thread"
    ? [
        { bucket: `thread:burst:${userId}`, max: 1, windowMs: 15 * SECOND },
        { bucket: `thread:day:${userId}`, max: 20, windowMs: DAY },
      ]
    : [{ bucket: `reply:burst:${userId}`, max: 1, windowMs: 5 * SECOND }];
}

async function enforcePostingLimits(db: Kysely<Database>, kind: "thread" | "reply", userId: string): Promise<void> {
  for (const limit of postingLimits(kind, userId)) {
    const state = await hitLimit(db, limit);
    if (state.blocked) {
      const what = kind === "thread" ? "threads" : "replies";
      throw new Refusal(429, `You are posting ${what} faster than we allow. Try again in ${describeWait(state.retryAfterMs)}.`, {
        retryAfterSeconds: Math.ceil(state.retryAfterMs / 1000),
      });
    }
  }
}

/** Start a thread; only where the policy lets this member write now (an open community). */
export async function startThread(db: Kysely<Database>, actor: Actor, slug: string, input: { title: string; body: string }): Promise<{ threadId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "community.participate", view);
  await enforcePostingLimits(db, "thread", actor.id);
  const at = now();
  const threadId = newId();
  await db
    .insertInto("threads")
    .values({
      id: threadId,
      community_id: view.community.id,
      author_id: actor.id,
      title: input.title,
      body_markdown: input.body,
      body_html: renderMarkdown(input.body),
      reply_count: 0,
      created_at: at,
      last_activity_at: at,
    })
    .execute();
  return { threadId };
}

async function findThread(db: Kysely<Database>, communityId: string, threadId: string) {
  // A thread id from another community is simply not found here.
  const thread = await db.selectFrom("threads").selectAll().where("id", "=", threadId).where("community_id", "=", communityId).executeTakeFirst();
  if (!thread) throw new Refusal(404, "We could not find that thread.");
  return thread;
}

export async function replyToThread(db: Kysely<Database>, actor: Actor, slug: string, threadId: string, input: { body: string }): Promise<{ replyId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, view.community.id, threadId);
  assertAllowed(actor, "community.participate", view);
  await enforcePostingLimits(db, "reply", actor.id);
  const at = now();
  const replyId = newId();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("replies").values({ id: replyId, thread_id: thread.id, author_id: actor.id, body_markdown: input.body, body_html: renderMarkdown(input.body), created_at: at }).execute();
    await trx
      .updateTable("threads")
      .set({ reply_count: sql`reply_count + 1`, last_activity_at: at })
      .where("id", "=", thread.id)
      .execute();
    if (thread.author_id !== actor.id) {
      const replier = await trx.selectFrom("users").select("display_name").where("id", "=", actor.id).executeTakeFirstOrThrow();
      await notify(trx, thread.author_id, {
        kind: "thread.reply",
        title: `${replier.display_name} replied to "${thread.title}"`,
        link: `/c/${slug}/t/${thread.id}#reply-${replyId}`,
      });
    }
  });
  return { replyId };
}

export const THREADS_PER_PAGE = 30;
export const REPLIES_PER_PAGE = 50;

/** A page of a community's threads by latest activity, by key: (last_activity_at, id) of the last one seen. */
export async function listThreads(db: Kysely<Database>, communityId: string, after?: { at: number; id: string }) {
  let query = db
    .selectFrom("threads")
    .innerJoin("users", "users.id", "threads.author_id")
    .select(["threads.id", "threads.title", "threads.reply_count", "threads.last_activity_at", "threads.created_at", "users.display_name as author"])
    .where("threads.community_id", "=", communityId)
    .orderBy("threads.last_activity_at", "desc")
    .orderBy("threads.id", "desc")
    .limit(THREADS_PER_PAGE + 1);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb("threads.last_activity_at", "<", after.at), eb.and([eb("threads.last_activity_at", "=", after.at), eb("threads.id", "<", after.id)])]),
    );
  }
  const rows = await query.execute();
  return { threads: rows.slice(0, THREADS_PER_PAGE), hasMore: rows.length > THREADS_PER_PAGE };
}

/** A thread and one page of its replies, oldest first, by key; two queries whatever the thread's length. */
export async function readThread(db: Kysely<Database>, actor: Actor, slug: string, threadId: string, after?: { at: number; id: string }) {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await db
    .selectFrom("threads")
    .innerJoin("users", "users.id", "threads.author_id")
    .selectAll("threads")
    .select("users.display_name as author")
    .where("threads.id", "=", threadId)
    .where("threads.community_id", "=", view.community.id)
    .executeTakeFirst();
  if (!thread) throw new Refusal(404, "We could not find that thread.");
  let query = db
    .selectFrom("replies")
    .innerJoin("users", "users.id", "replies.author_id")
    .select(["replies.id", "replies.body_html", "replies.created_at", "users.display_name as author"])
    .where("replies.thread_id", "=", thread.id)
    .orderBy("replies.created_at", "asc")
    .orderBy("replies.id", "asc")
    .limit(REPLIES_PER_PAGE + 1);
  if (after) {
    query = query.where((eb) => eb.or([eb("replies.created_at", ">", after.at), eb.and([eb("replies.created_at", "=", after.at), eb("replies.id", ">", after.id)])]));
  }
  const replies = await query.execute();
  return { view, thread, replies: replies.slice(0, REPLIES_PER_PAGE), hasMore: replies.length > REPLIES_PER_PAGE };
}

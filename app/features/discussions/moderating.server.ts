/**
 * Acting on one post or thread: a member flags a post; a moderator hides, restores or keeps
 * it; a leader pins or locks a thread. The queue of open flags is moderation.server.ts.
 */
import type { Kysely } from "kysely";
import { named } from "#app/lib/named-text.ts";
import type { Database, FlagReason } from "#db/schema.ts";
import { assertAllowed, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { notifyEach } from "#app/features/notifications/notifications.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { postLink } from "./links.ts";
import { findThread, postInContext, tableOf, type PostRef } from "./posts.server.ts";
import { enforcePostingLimits } from "./posting.server.ts";

type Db = Kysely<Database>;

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

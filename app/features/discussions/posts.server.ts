import type { Kysely } from "kysely";
import type { Database, PostKind, Removal } from "#db/schema.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { now } from "#app/lib/clock.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { threadVisible } from "./visibility.ts";

type Db = Kysely<Database>;

export type ThreadRow = Database["threads"];

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

export const postFacts = (thread: ThreadRow, post: Pick<PostRow, "author_id" | "removed">) => ({ authorId: post.author_id, threadLocked: thread.locked_at !== null, removed: post.removed !== null });

/** Load what a change to one post needs, and ask the policy. */
export async function postInContext(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef) {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const post = await findPost(db, thread, ref);
  return { view, thread, post, context: { ...view, post: postFacts(thread, post) } };
}

export const tableOf = (kind: PostKind) => (kind === "thread" ? "threads" : "replies");

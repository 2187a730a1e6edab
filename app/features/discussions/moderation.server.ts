import type { Kysely } from "kysely";
import type { Database, FlagReason, PostKind, Removal } from "#db/schema.ts";
import { assertAllowed, can, type Actor } from "#app/features/auth/policy.ts";
import { moderatedCommunities } from "#app/features/auth/scopes.server.ts";

const QUEUE_LIMIT = 200;

/** Whether the policy lets this actor moderate without being any community's moderator: then they moderate every one. */
export const moderatesEveryCommunity = (actor: Actor) => can(actor, "moderation.view", { moderatesSomeCommunity: false });

/** How many flags wait for this actor's decision (for the header). */
export async function openFlagCount(db: Kysely<Database>, actor: Actor): Promise<number> {
  const row = await db
    .selectFrom("flags")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("resolved_at", "is", null)
    .where("community_id", "in", moderatedCommunities(db, actor))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface QueueItem {
  community: { slug: string; name: string };
  thread: { id: string; title: string };
  post: { kind: PostKind; id: string; author: string; authorId: string; bodyHtml: string; removed: Removal | null; createdAt: number };
  flags: { reason: FlagReason; note: string | null; reporter: string; createdAt: number }[];
}

/** Refuse anyone who moderates nothing (before reading what they sent). */
export async function assertModerator(db: Kysely<Database>, actor: Actor): Promise<void> {
  const moderatesSomeCommunity = !moderatesEveryCommunity(actor) && (await moderatedCommunities(db, actor).executeTakeFirst()) !== undefined;
  assertAllowed(actor, "moderation.view", { moderatesSomeCommunity });
}

/**
 * The moderation queue: posts with open flags in the communities this actor moderates
 * (optionally one), oldest flag first, each with every reason given. Three queries.
 */
export async function listModerationQueue(db: Kysely<Database>, actor: Actor, options: { communitySlug?: string } = {}): Promise<QueueItem[]> {
  await assertModerator(db, actor);
  const flags = await db
    .selectFrom("flags")
    .innerJoin("users as reporter", "reporter.id", "flags.reporter_id")
    .innerJoin("communities", "communities.id", "flags.community_id")
    .innerJoin("threads", "threads.id", "flags.thread_id")
    .select([
      "flags.post_kind",
      "flags.post_id",
      "flags.reason",
      "flags.note",
      "flags.created_at",
      "reporter.display_name as reporter",
      "communities.slug",
      "communities.name as community_name",
      "threads.id as thread_id",
      "threads.title as thread_title",
    ])
    .where("flags.resolved_at", "is", null)
    .where("flags.community_id", "in", moderatedCommunities(db, actor))
    .$if(options.communitySlug !== undefined, (q) => q.where("communities.slug", "=", options.communitySlug!))
    .orderBy("flags.created_at", "asc")
    .limit(QUEUE_LIMIT)
    .execute();
  const ids = (kind: PostKind) => [...new Set(flags.filter((f) => f.post_kind === kind).map((f) => f.post_id))];
  const [threadIds, replyIds] = [ids("thread"), ids("reply")];
  const [openers, replies] = await Promise.all([
    threadIds.length
      ? db.selectFrom("threads").innerJoin("users", "users.id", "threads.author_id").select(["threads.id", "threads.body_html", "threads.removed", "threads.created_at", "threads.author_id", "users.display_name as author"]).where("threads.id", "in", threadIds).execute()
      : [],
    replyIds.length
      ? db.selectFrom("replies").innerJoin("users", "users.id", "replies.author_id").select(["replies.id", "replies.body_html", "replies.removed", "replies.created_at", "replies.author_id", "users.display_name as author"]).where("replies.id", "in", replyIds).execute()
      : [],
  ]);
  const posts = new Map<string, (typeof replies)[number]>([...openers.map((p) => [`thread:${p.id}`, p] as const), ...replies.map((p) => [`reply:${p.id}`, p] as const)]);
  const items = new Map<string, QueueItem>();
  for (const flag of flags) {
    const key = `${flag.post_kind}:${flag.post_id}`;
    const post = posts.get(key);
    if (!post) continue;
    let item = items.get(key);
    if (!item) {
      item = {
        community: { slug: flag.slug, name: flag.community_name },
        thread: { id: flag.thread_id, title: flag.thread_title },
        post: { kind: flag.post_kind, id: post.id, author: post.author, authorId: post.author_id, bodyHtml: post.body_html, removed: post.removed, createdAt: post.created_at },
        flags: [],
      };
      items.set(key, item);
    }
    item.flags.push({ reason: flag.reason, note: flag.note, reporter: flag.reporter, createdAt: flag.created_at });
  }
  return [...items.values()];
}

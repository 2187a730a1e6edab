import type { ImageChoice } from "#app/features/attachments/attachments.server.ts";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import type { Database, SuggestionStatus } from "#db/schema.ts";
import { assertAllowed, can, onlyTakesPart, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { postThread } from "#app/features/discussions/posting.server.ts";
import { refreshStrength } from "#app/features/suggestions/strength.server.ts";
import { DAY, now } from "#app/lib/clock.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { randomInt } from "node:crypto";
import { ideasMatchingAny } from "#app/features/search/search.server.ts";
import { markdownExcerpt, markdownToText } from "#app/lib/markdown.server.ts";
import { contentWords, likeness } from "./similar.ts";

type Db = Kysely<Database>;

export const IDEAS_PER_PAGE = 30;
const TRENDING_WINDOW = 7 * DAY;

/** How a list of ideas can be ordered. "shuffled" is each member's own stable random order. */
export type IdeaSort = "top" | "new" | "trending" | "shuffled";

/** Submit an idea: a thread of kind "idea", so it has its own discussion, and its row for votes. */
export async function submitIdea(db: Db, actor: Actor, slug: string, input: { title: string; body: string; images?: ImageChoice[] }): Promise<{ ideaId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "community.participate", view);
  const { threadId } = await postThread(db, actor, view, { ...input, kind: "idea", masked: false, visibleFrom: now() }, async (trx, threadId) => {
    await trx
      .insertInto("ideas")
      .values({ thread_id: threadId, community_id: view.community.id, vote_count: 0, shuffle: randomInt(1, 2 ** 31 - 1), created_at: now(), merged_into: null, merged_at: null, suggestion_id: null })
      .execute();
  });
  return { ideaId: threadId };
}

/** The sorts this reader may use: none that order by votes while the votes are hidden from them. */
export function sortsFor(actor: Actor, view: CommunityView): { sorts: IdeaSort[]; initial: IdeaSort } {
  const seeVotes = can(actor, "idea.see-votes", view);
  const shuffle = view.community.random_idea_order === 1;
  const sorts: IdeaSort[] = seeVotes ? ["top", "trending", "new"] : ["new"];
  if (shuffle) sorts.unshift("shuffled");
  // Participants start from their shuffle where the community asks for one.
  const initial = shuffle && onlyTakesPart(view) ? "shuffled" : sorts[0]!;
  return { sorts, initial };
}

/** A member's shuffle seed: the same every time for the same person, different between people. */
function seedOf(userId: string): number {
  let hash = 2166136261;
  for (const char of userId) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return (hash % 1_000_000) + 1;
}

/** The value each sort orders by (descending, except the shuffle), as SQL. */
function sortKey(sort: IdeaSort, userId: string, at: number): RawBuilder<number> {
  switch (sort) {
    case "top":
      return sql<number>`ideas.vote_count`;
    case "new":
      return sql<number>`ideas.created_at`;
    case "trending":
      return sql<number>`(select count(*) from votes where votes.idea_id = ideas.thread_id and votes.created_at > ${at - TRENDING_WINDOW})`;
    case "shuffled":
      return sql<number>`((ideas.shuffle * ${seedOf(userId)}) % 2147483647)`;
  }
}

export interface IdeaSummary {
  id: string;
  title: string;
  author: string;
  authorId: string;
  createdAt: number;
  replies: number;
  /** Null when the reader may not see vote counts yet. */
  votes: number | null;
  voted: boolean;
  /** Whether the button acts: a hidden idea takes no new votes, but a vote on it can be taken back. */
  canVote: boolean;
  status: SuggestionStatus | null;
  sortValue: number;
}

/**
 * A page of a community's ideas (merged ones are left out) in the chosen order, by key, with
 * whether this reader voted for each; counts only where the reader may see them. One query.
 */
export async function listIdeas(db: Db, actor: Actor, view: CommunityView, options: { sort: IdeaSort; after?: Cursor }) {
  const at = now();
  const key = sortKey(options.sort, actor.id, at);
  const ascending = options.sort === "shuffled";
  let query = db
    .selectFrom("ideas")
    .innerJoin("threads", "threads.id", "ideas.thread_id")
    .innerJoin("users", "users.id", "threads.author_id")
    .leftJoin("suggestions", "suggestions.id", "ideas.suggestion_id")
    .leftJoin("votes", (join) => join.onRef("votes.idea_id", "=", "ideas.thread_id").on("votes.user_id", "=", actor.id))
    .select([
      "ideas.thread_id as id",
      "threads.title",
      "threads.removed",
      "threads.reply_count",
      "ideas.vote_count",
      "ideas.created_at",
      "users.display_name as author",
      "threads.author_id",
      "suggestions.status",
      "votes.user_id as voter",
      key.as("sort_value"),
    ])
    .where("ideas.community_id", "=", view.community.id)
    .where("ideas.merged_into", "is", null)
    .orderBy(key, ascending ? "asc" : "desc")
    .orderBy("ideas.thread_id", ascending ? "asc" : "desc")
    .limit(IDEAS_PER_PAGE + 1);
  if (options.after) query = query.where(pastCursor(key, "ideas.thread_id", options.after, ascending ? ">" : "<"));
  const rows = (await query.execute()) as unknown as {
    id: string;
    title: string;
    removed: string | null;
    reply_count: number;
    vote_count: number;
    created_at: number;
    author: string;
    author_id: string;
    status: SuggestionStatus | null;
    voter: string | null;
    sort_value: number | string;
  }[];
  const seeVotes = can(actor, "idea.see-votes", view);
  const page = rows.slice(0, IDEAS_PER_PAGE);
  const last = page.at(-1);
  return {
    ideas: page.map(
      (row): IdeaSummary => ({
        id: row.id,
        title: row.removed ? "Removed idea" : row.title,
        author: row.author,
        authorId: row.author_id,
        createdAt: row.created_at,
        replies: row.reply_count,
        votes: seeVotes ? row.vote_count : null,
        voted: row.voter !== null,
        canVote: can(actor, "idea.vote", row.voter !== null ? view : { ...view, idea: { hidden: row.removed === "moderator" } }),
        status: row.status,
        sortValue: Number(row.sort_value),
      }),
    ),
    next: rows.length > IDEAS_PER_PAGE && last ? { at: Number(last.sort_value), id: last.id } : null,
  };
}

/** "3 of 10 votes left", as numbers: null where the community sets no budget or the reader is not a member. */
export async function voteBudget(db: Db, actor: Actor, view: CommunityView): Promise<{ left: number; budget: number } | null> {
  const budget = view.community.vote_budget;
  if (budget === null || !view.membership) return null;
  const row = await db
    .selectFrom("memberships")
    .select("votes_used")
    .where("community_id", "=", view.community.id)
    .where("user_id", "=", actor.id)
    .executeTakeFirst();
  return { left: Math.max(0, budget - (row?.votes_used ?? 0)), budget };
}

export interface VoteResult {
  voted: boolean;
  votes: number | null;
  left: number | null;
}

/**
 * Vote for an idea, or take the vote back. Idempotent: the member says which they want, so
 * fifty clicks leave one vote (the primary key guarantees it). Within a budget the member's
 * membership row is updated only while votes_used < budget: that row lock keeps two
 * simultaneous votes from both fitting into the last slot, on either engine.
 */
export async function castVote(db: Db, actor: Actor, slug: string, ideaId: string, want: boolean): Promise<VoteResult> {
  const view = await getCommunityForActor(db, actor, slug);
  const idea = await findIdea(db, view, ideaId);
  // Taking a vote back from a hidden idea returns it to the budget; casting one is refused.
  assertAllowed(actor, "idea.vote", want ? { ...view, idea: { hidden: idea.removed === "moderator" } } : view);
  if (idea.merged_into) throw new Refusal(409, "This idea was merged into another; vote for that one.");
  const communityId = view.community.id;
  const budget = view.community.vote_budget;
  await db.transaction().execute(async (trx) => {
    if (want) {
      const inserted = await trx
        .insertInto("votes")
        .values({ idea_id: idea.thread_id, user_id: actor.id, community_id: communityId, created_at: now() })
        .onConflict((conflict) => conflict.columns(["idea_id", "user_id"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return; // already voted
      const counted = await trx
        .updateTable("memberships")
        .set({ votes_used: sql`votes_used + 1` })
        .where("community_id", "=", communityId)
        .where("user_id", "=", actor.id)
        .$if(budget !== null, (q) => q.where("votes_used", "<", budget!))
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) === 0) {
        // Throwing rolls the vote back.
        throw new Refusal(409, `You have used all ${budget} of your votes. Take one back from another idea to vote for this one.`);
      }
      await trx.updateTable("ideas").set({ vote_count: sql`vote_count + 1` }).where("thread_id", "=", idea.thread_id).execute();
    } else {
      const deleted = await trx.deleteFrom("votes").where("idea_id", "=", idea.thread_id).where("user_id", "=", actor.id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return; // had not voted
      await trx.updateTable("memberships").set({ votes_used: sql`votes_used - 1` }).where("community_id", "=", communityId).where("user_id", "=", actor.id).execute();
      await trx.updateTable("ideas").set({ vote_count: sql`vote_count - 1` }).where("thread_id", "=", idea.thread_id).execute();
    }
    await refreshStrength(trx, [idea.suggestion_id]);
  });
  const [after, left] = await Promise.all([
    db.selectFrom("ideas").select("vote_count").where("thread_id", "=", idea.thread_id).executeTakeFirstOrThrow(),
    voteBudget(db, actor, view),
  ]);
  return { voted: want, votes: can(actor, "idea.see-votes", view) ? after.vote_count : null, left: left?.left ?? null };
}

async function findIdea(db: Db, view: CommunityView, ideaId: string) {
  const idea = await db
    .selectFrom("ideas")
    .innerJoin("threads", "threads.id", "ideas.thread_id")
    .selectAll("ideas")
    .select("threads.removed")
    .where("ideas.thread_id", "=", ideaId)
    .where("ideas.community_id", "=", view.community.id)
    .executeTakeFirst();
  if (!idea) throw new Refusal(404, "We could not find that idea.");
  return idea;
}

/** What an idea's page shows besides its discussion: votes, the reader's vote, its suggestion's answer, where it was merged. */
export async function ideaDetails(db: Db, actor: Actor, view: CommunityView, ideaId: string) {
  const idea = await db
    .selectFrom("ideas")
    .leftJoin("votes", (join) => join.onRef("votes.idea_id", "=", "ideas.thread_id").on("votes.user_id", "=", actor.id))
    .leftJoin("suggestions", "suggestions.id", "ideas.suggestion_id")
    .leftJoin("threads as target", "target.id", "ideas.merged_into")
    .innerJoin("threads as idea_thread", "idea_thread.id", "ideas.thread_id")
    .select([
      "ideas.thread_id",
      "ideas.vote_count",
      "ideas.merged_into",
      "idea_thread.removed",
      "target.title as merged_into_title",
      "votes.user_id as voter",
      "suggestions.status",
      "suggestions.public_answer",
      "suggestions.answered_at",
    ])
    .where("ideas.thread_id", "=", ideaId)
    .where("ideas.community_id", "=", view.community.id)
    .executeTakeFirst();
  if (!idea) return null;
  const moderate = can(actor, "idea.merge", view);
  const [budget, mergeTargets] = await Promise.all([
    voteBudget(db, actor, view),
    moderate && !idea.merged_into
      ? db
          .selectFrom("ideas")
          .innerJoin("threads", "threads.id", "ideas.thread_id")
          .select(["ideas.thread_id as id", "threads.title"])
          .where("ideas.community_id", "=", view.community.id)
          .where("ideas.merged_into", "is", null)
          .where("ideas.thread_id", "!=", ideaId)
          .orderBy("ideas.vote_count", "desc")
          .limit(100)
          .execute()
      : Promise.resolve([]),
  ]);
  return {
    votes: can(actor, "idea.see-votes", view) ? idea.vote_count : null,
    voted: idea.voter !== null,
    canVote: can(actor, "idea.vote", { ...view, idea: { hidden: idea.removed === "moderator" } }) && !idea.merged_into,
    budget,
    mergedInto: idea.merged_into ? { id: idea.merged_into, title: idea.merged_into_title ?? "" } : null,
    suggestion: idea.status ? { status: idea.status, answer: idea.public_answer, answeredAt: idea.answered_at } : null,
    mergeTargets,
  };
}

/**
 * Merge a duplicate into another idea: its votes move over (a member who voted for both keeps
 * one vote, and gets the other back), it points to the survivor, and its discussion stays
 * readable, locked.
 */
export async function mergeIdea(db: Db, actor: Actor, slug: string, fromId: string, intoId: string): Promise<void> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "idea.merge", view);
  if (fromId === intoId) throw new Refusal(400, "Choose another idea to merge this one into.");
  const [from, into] = await Promise.all([findIdea(db, view, fromId), findIdea(db, view, intoId)]);
  if (from.merged_into) throw new Refusal(409, "This idea was already merged.");
  if (into.merged_into) throw new Refusal(409, "That idea was itself merged; merge into the one it points to.");
  const at = now();
  await db.transaction().execute(async (trx) => {
    // Members who voted for both get the duplicate vote back.
    const both = await trx
      .selectFrom("votes as a")
      .innerJoin("votes as b", (join) => join.onRef("b.user_id", "=", "a.user_id").on("b.idea_id", "=", into.thread_id))
      .select("a.user_id")
      .where("a.idea_id", "=", from.thread_id)
      .execute();
    if (both.length) {
      await trx
        .updateTable("memberships")
        .set({ votes_used: sql`votes_used - 1` })
        .where("community_id", "=", view.community.id)
        .where(
          "user_id",
          "in",
          both.map((row) => row.user_id),
        )
        .execute();
    }
    await trx
      .insertInto("votes")
      .columns(["idea_id", "user_id", "community_id", "created_at"])
      .expression((eb) => eb.selectFrom("votes").select([eb.val(into.thread_id).as("idea_id"), "user_id", "community_id", "created_at"]).where("idea_id", "=", from.thread_id))
      .onConflict((conflict) => conflict.columns(["idea_id", "user_id"]).doNothing())
      .execute();
    await trx.deleteFrom("votes").where("idea_id", "=", from.thread_id).execute();
    const count = await trx
      .selectFrom("votes")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("idea_id", "=", into.thread_id)
      .executeTakeFirstOrThrow();
    await trx.updateTable("ideas").set({ vote_count: Number(count.n) }).where("thread_id", "=", into.thread_id).execute();
    await trx.updateTable("ideas").set({ vote_count: 0, merged_into: into.thread_id, merged_at: at }).where("thread_id", "=", from.thread_id).execute();
    await trx.updateTable("threads").set({ locked_at: at }).where("id", "=", from.thread_id).execute();
    await refreshStrength(trx, [from.suggestion_id, into.suggestion_id]);
  });
}

export interface SimilarIdea {
  id: string;
  title: string;
  excerpt: string;
  votes: number | null;
  voted: boolean;
  canVote: boolean;
  likeness: number;
}

/** How alike a draft and an idea must be (0 to 1, by shared meaningful words) before the idea is offered. */
const OFFER_LIKENESS = 0.3;

/**
 * The ideas of a community most like a draft, for "Vote for one of these instead?": the
 * search index finds ideas sharing any of the draft's words, then they are ranked by how
 * much of the wording they share (app/features/ideas/similar.ts) and only close ones are
 * offered. Only ideas this member may see: the community is checked by the policy, hidden
 * and merged ideas stay out. Two queries.
 */
export async function similarIdeas(db: Db, actor: Actor, slug: string, draft: { title: string; body: string }, limit = 3): Promise<SimilarIdea[]> {
  const view = await getCommunityForActor(db, actor, slug);
  const draftWords = { title: contentWords(draft.title), all: contentWords(`${draft.title} ${draft.body}`) };
  if (draftWords.all.size === 0) return [];
  const ids = await ideasMatchingAny(db, view.community.id, [...draftWords.all], 30);
  if (!ids.length) return [];
  const rows = await db
    .selectFrom("ideas")
    .innerJoin("threads", "threads.id", "ideas.thread_id")
    .leftJoin("votes", (join) => join.onRef("votes.idea_id", "=", "ideas.thread_id").on("votes.user_id", "=", actor.id))
    .select(["ideas.thread_id as id", "threads.title", "threads.body_markdown", "threads.removed", "threads.visible_from", "ideas.vote_count", "votes.user_id as voter"])
    .where("ideas.thread_id", "in", ids)
    .where("ideas.merged_into", "is", null)
    .where("threads.removed", "is", null)
    .where("threads.visible_from", "<=", now())
    .execute();
  const seeVotes = can(actor, "idea.see-votes", view);
  return rows
    .map((row) => {
      const words = { title: contentWords(row.title), all: contentWords(`${row.title} ${markdownToText(row.body_markdown)}`) };
      const titles = Math.min(words.title.size, draftWords.title.size) >= 2 ? likeness(words.title, draftWords.title) : 0;
      return { row, likeness: Math.max(titles, likeness(words.all, draftWords.all), likeness(words.title, draftWords.all) * 0.8) };
    })
    .filter((s) => s.likeness >= OFFER_LIKENESS)
    .sort((a, b) => b.likeness - a.likeness)
    .slice(0, limit)
    .map(({ row, likeness: score }) => ({
      id: row.id,
      title: row.title,
      excerpt: markdownExcerpt(row.body_markdown, 160),
      votes: seeVotes ? row.vote_count : null,
      voted: row.voter !== null,
      canVote: can(actor, "idea.vote", view),
      likeness: Math.round(score * 100) / 100,
    }));
}

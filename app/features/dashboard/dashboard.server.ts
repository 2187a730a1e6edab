import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { assertAllowed, STAFF_ROLES, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { invitationFunnel } from "#app/features/invitations/invitations.server.ts";
import { SUGGESTION_STATUSES } from "#app/features/suggestions/statuses.ts";
import { FEEDBACK_KINDS } from "#app/features/triage/feedback-kinds.ts";
import { DAY, now } from "#app/lib/clock.ts";

type Db = Kysely<Database>;

/** The middle value, or null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Days of the time box so far (at most 120), each with its posts (threads and replies) and ideas. */
async function perDay(db: Db, communityId: string, from: number, to: number) {
  const days = Math.max(1, Math.min(120, Math.ceil((to - from) / DAY)));
  const bucket = (column: string) => sql<number>`cast((${sql.ref(column)} - ${from}) / ${DAY} as integer)`;
  // Grouped by the column's name: PostgreSQL cannot tell that the same expression with its
  // own parameters in GROUP BY is the one selected, and refuses the query.
  const day = sql.ref("day");
  const [threads, replies] = await Promise.all([
    db
      .selectFrom("threads")
      .select([bucket("threads.created_at").as("day"), "threads.kind", (eb) => eb.fn.countAll<number>().as("n")])
      .where("community_id", "=", communityId)
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .groupBy([day, "threads.kind"])
      .execute(),
    db
      .selectFrom("replies")
      .innerJoin("threads", "threads.id", "replies.thread_id")
      .select([bucket("replies.created_at").as("day"), (eb) => eb.fn.countAll<number>().as("n")])
      .where("threads.community_id", "=", communityId)
      .where("replies.created_at", ">=", from)
      .where("replies.created_at", "<", to)
      .groupBy(day)
      .execute(),
  ]);
  const series = Array.from({ length: days }, (_, day) => ({ day, start: from + day * DAY, posts: 0, ideas: 0 }));
  for (const row of threads) {
    const entry = series[Number(row.day)];
    if (!entry) continue;
    if (row.kind === "idea") entry.ideas += Number(row.n);
    else entry.posts += Number(row.n);
  }
  for (const row of replies) {
    const entry = series[Number(row.day)];
    if (entry) entry.posts += Number(row.n);
  }
  return series;
}

/**
 * What a community's staff need to see how it is going: the invitation funnel, members and
 * how many took part, posts and ideas per day, votes, how fast staff or leaders answer, what
 * is left unanswered, how much feedback is triaged, suggestions by tag, top contributors.
 */
export async function communityDashboard(db: Db, actor: Actor, slug: string) {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "dashboard.view", view);
  const { community } = view;
  const at = now();
  const id = community.id;
  const [funnel, members, authors, voters, votes, days, firstAnswers, unanswered, feedback, triaged, tags, contributors] = await Promise.all([
    invitationFunnel(db, id),
    db.selectFrom("memberships").select("user_id").where("community_id", "=", id).where("role", "in", ["participant", "leader"]).execute(),
    db
      .selectFrom("threads")
      .select("author_id as user_id")
      .where("community_id", "=", id)
      .union(db.selectFrom("replies").innerJoin("threads", "threads.id", "replies.thread_id").select("replies.author_id as user_id").where("threads.community_id", "=", id))
      .execute(),
    db.selectFrom("votes").select("user_id").distinct().where("community_id", "=", id).execute(),
    db.selectFrom("votes").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", id).executeTakeFirstOrThrow(),
    perDay(db, id, community.starts_at, Math.min(community.ends_at, Math.max(at, community.starts_at + DAY))),
    // Each participant's thread, and when someone on staff or leading first replied.
    db
      .selectFrom("threads")
      .innerJoin("users as author", "author.id", "threads.author_id")
      .leftJoin("memberships as author_membership", (join) => join.onRef("author_membership.community_id", "=", "threads.community_id").onRef("author_membership.user_id", "=", "threads.author_id"))
      .innerJoin("replies", "replies.thread_id", "threads.id")
      .innerJoin("users as replier", "replier.id", "replies.author_id")
      .leftJoin("memberships as replier_membership", (join) => join.onRef("replier_membership.community_id", "=", "threads.community_id").onRef("replier_membership.user_id", "=", "replies.author_id"))
      .select(["threads.id", "threads.created_at", (eb) => eb.fn.min<number>("replies.created_at").as("answered_at")])
      .where("threads.community_id", "=", id)
      .where("threads.kind", "in", FEEDBACK_KINDS)
      .where("author.role", "not in", STAFF_ROLES)
      .where((eb) => eb.or([eb("author_membership.role", "is", null), eb("author_membership.role", "=", "participant")]))
      .where((eb) => eb.or([eb("replier.role", "in", STAFF_ROLES), eb("replier_membership.role", "in", ["leader", "moderator"])]))
      .groupBy(["threads.id", "threads.created_at"])
      .execute(),
    db
      .selectFrom("threads")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("community_id", "=", id)
      .where("kind", "=", "discussion")
      .where("reply_count", "=", 0)
      .where("removed", "is", null)
      .executeTakeFirstOrThrow(),
    // Feedback items: participants' openers, ideas and replies.
    db
      .selectFrom("threads")
      .innerJoin("users", "users.id", "threads.author_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("threads.community_id", "=", id)
      .where("threads.kind", "in", FEEDBACK_KINDS)
      .where("users.role", "not in", STAFF_ROLES)
      .executeTakeFirstOrThrow()
      .then(async (openers) => {
        const replies = await db
          .selectFrom("replies")
          .innerJoin("threads", "threads.id", "replies.thread_id")
          .innerJoin("users", "users.id", "replies.author_id")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("threads.community_id", "=", id)
          .where("users.role", "not in", STAFF_ROLES)
          .executeTakeFirstOrThrow();
        return Number(openers.n) + Number(replies.n);
      }),
    db.selectFrom("triage_items").select(["state", (eb) => eb.fn.countAll<number>().as("n")]).where("community_id", "=", id).groupBy("state").execute(),
    db
      .selectFrom("highlights")
      .innerJoin("suggestion_tags", "suggestion_tags.suggestion_id", "highlights.suggestion_id")
      .innerJoin("tags", "tags.id", "suggestion_tags.tag_id")
      .select(["tags.name", "tags.color", (eb) => eb.fn.count<number>("highlights.suggestion_id").distinct().as("n")])
      .where("highlights.community_id", "=", id)
      .groupBy(["tags.name", "tags.color"])
      .orderBy("n", "desc")
      .execute(),
    db
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select((eb) => [
        "users.display_name as name",
        "users.id",
        eb.selectFrom("threads").select((c) => c.fn.countAll<number>().as("n")).whereRef("threads.author_id", "=", "users.id").where("threads.community_id", "=", id).as("threads"),
        eb
          .selectFrom("replies")
          .innerJoin("threads", "threads.id", "replies.thread_id")
          .select((c) => c.fn.countAll<number>().as("n"))
          .whereRef("replies.author_id", "=", "users.id")
          .where("threads.community_id", "=", id)
          .as("replies"),
        eb.selectFrom("votes").select((c) => c.fn.countAll<number>().as("n")).whereRef("votes.user_id", "=", "users.id").where("votes.community_id", "=", id).as("votes"),
      ])
      .where("memberships.community_id", "=", id)
      .execute(),
  ]);
  const memberIds = new Set(members.map((m) => m.user_id));
  const memberCount = memberIds.size;
  const active = new Set([...authors.map((a) => a.user_id), ...voters.map((v) => v.user_id)]);
  const activeMembers = [...active].filter((u) => memberIds.has(u)).length;
  const decided = triaged.reduce((n, row) => n + Number(row.n), 0);
  return {
    view,
    funnel,
    members: memberCount,
    activeMembers,
    participationRate: memberCount ? activeMembers / memberCount : 0,
    votes: Number(votes.n),
    days,
    medianFirstAnswerMs: median(firstAnswers.map((t) => Number(t.answered_at) - t.created_at)),
    answeredThreads: firstAnswers.length,
    unanswered: Number(unanswered.n),
    triage: { items: feedback, decided, coverage: feedback ? decided / feedback : 0 },
    tags: tags.map((t) => ({ ...t, n: Number(t.n) })),
    contributors: contributors
      .map((c) => ({ id: c.id, name: c.name, threads: Number(c.threads ?? 0), replies: Number(c.replies ?? 0), votes: Number(c.votes ?? 0) }))
      .map((c) => ({ ...c, posts: c.threads + c.replies }))
      .filter((c) => c.posts + c.votes > 0)
      .sort((a, b) => b.posts - a.posts || b.votes - a.votes)
      .slice(0, 10),
  };
}

/** Across communities: suggestions by status and tag, and how long feedback takes to become a suggestion and a decision. */
export async function overviewDashboard(db: Db, actor: Actor) {
  assertAllowed(actor, "suggestion.view");
  const [statuses, tags, toSuggestion, toDecision, communities] = await Promise.all([
    db.selectFrom("suggestions").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute(),
    db
      .selectFrom("suggestion_tags")
      .innerJoin("tags", "tags.id", "suggestion_tags.tag_id")
      .select(["tags.name", "tags.color", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["tags.name", "tags.color"])
      .orderBy("n", "desc")
      .execute(),
    // Feedback to suggestion: from the post to the first highlight linking it.
    db
      .selectFrom("highlights")
      .leftJoin("threads", (join) => join.onRef("threads.id", "=", "highlights.post_id").on("highlights.post_kind", "=", "thread"))
      .leftJoin("replies", (join) => join.onRef("replies.id", "=", "highlights.post_id").on("highlights.post_kind", "=", "reply"))
      .select(["highlights.created_at", "threads.created_at as thread_at", "replies.created_at as reply_at"])
      .where("highlights.suggestion_id", "is not", null)
      .limit(5000)
      .execute(),
    db.selectFrom("suggestions").select(["created_at", "answered_at"]).where("answered_at", "is not", null).where("status", "in", ["planned", "in-progress", "shipped", "declined"]).limit(5000).execute(),
    db
      .selectFrom("communities")
      .select((eb) => [
        "communities.slug",
        "communities.name",
        eb.selectFrom("memberships").select((c) => c.fn.countAll<number>().as("n")).whereRef("memberships.community_id", "=", "communities.id").as("members"),
        eb.selectFrom("threads").select((c) => c.fn.countAll<number>().as("n")).whereRef("threads.community_id", "=", "communities.id").as("threads"),
        eb.selectFrom("highlights").select((c) => c.fn.count<number>("highlights.suggestion_id").distinct().as("n")).whereRef("highlights.community_id", "=", "communities.id").as("suggestions"),
      ])
      .where("communities.published_at", "is not", null)
      .orderBy("communities.starts_at", "desc")
      .limit(100)
      .execute(),
  ]);
  const counts = new Map(statuses.map((s) => [s.status, Number(s.n)]));
  return {
    statuses: SUGGESTION_STATUSES.map((status) => ({ status, n: counts.get(status) ?? 0 })),
    tags: tags.map((t) => ({ ...t, n: Number(t.n) })),
    medianToSuggestionMs: median(toSuggestion.map((h) => h.created_at - Number(h.thread_at ?? h.reply_at ?? h.created_at))),
    medianToDecisionMs: median(toDecision.map((s) => Number(s.answered_at) - s.created_at)),
    communities: communities.map((c) => ({ ...c, members: Number(c.members ?? 0), threads: Number(c.threads ?? 0), suggestions: Number(c.suggestions ?? 0) })),
  };
}

import { followUpLink } from "#app/features/follow-ups/follow-ups.server.ts";
import { PostgresAdapter, sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { visibleCommunities } from "#app/features/auth/scopes.server.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { replyLink } from "#app/features/discussions/links.ts";
import { listedPost } from "#app/features/discussions/visibility.ts";
import { now } from "#app/lib/clock.ts";
import { stripMarkdownMarkers } from "#app/lib/markdown.server.ts";

type Db = Kysely<Database>;

import { MARK_END, MARK_START } from "./marks.ts";
const CANDIDATES = 200;
export const RESULTS = 30;

export interface SearchResult {
  kind: "thread" | "idea" | "prompt" | "reply" | "suggestion";
  title: string;
  snippet: string;
  link: string;
  community: string | null;
}

/** Words of the query, letters and digits only, so nothing in it is query syntax on either engine. */
export function searchTerms(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

interface Hit {
  kind: "thread" | "reply" | "suggestion";
  ref_id: string;
  title_marked: string;
  snippet: string;
}

/**
 * The best matches among documents in these communities (a subquery of their ids), and the
 * suggestions if asked for, best first: SQLite's FTS5 with bm25, or PostgreSQL's tsvector
 * with ts_rank. Every word must match, as a prefix.
 */
async function candidates(db: Db, terms: string[], scope: { communities: ReturnType<typeof visibleCommunities>; suggestions: boolean }): Promise<Hit[]> {
  // Suggestions belong to no community.
  const inCommunities = scope.suggestions ? sql`(d.community_id in (${scope.communities}) or d.community_id is null)` : sql`d.community_id in (${scope.communities})`;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const query = terms.map((t) => `${t}:*`).join(" & ");
    const { rows } = await sql<Hit>`
      with q as (select to_tsquery('english', ${query}) as query),
      top as (
        select d.id, d.kind, d.ref_id, d.title, d.body, ts_rank(d.tsv, q.query) as rank
        from search_documents d, q
        where d.tsv @@ q.query and ${inCommunities}
        order by rank desc, d.id desc
        limit ${CANDIDATES}
      )
      select top.kind, top.ref_id,
        ts_headline('english', top.title, q.query, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`}) as title_marked,
        ts_headline('english', top.body, q.query, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
      from top, q
      order by top.rank desc, top.id desc`.execute(db);
    return rows;
  }
  const match = terms.map((t) => `"${t}"*`).join(" ");
  const { rows } = await sql<Hit>`
    select d.kind, d.ref_id,
      highlight(search_fts, 0, ${MARK_START}, ${MARK_END}) as title_marked,
      snippet(search_fts, 1, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
    from search_fts join search_documents d on d.id = search_fts.rowid
    where search_fts match ${match} and ${inCommunities}
    order by bm25(search_fts, 4.0, 1.0), d.id desc
    limit ${CANDIDATES}`.execute(db);
  return rows;
}

/**
 * Ideas of one community whose title or text shares any of these words, best first, from
 * the same index as search (FTS5 bm25 / tsvector ts_rank), but matching ANY word: a draft
 * idea is compared with ideas that say part of the same thing. Merged ideas are left out;
 * the caller applies the reader's visibility.
 */
export async function ideasMatchingAny(db: Db, communityId: string, words: string[], limit: number): Promise<string[]> {
  const terms = words.filter((w) => /^[\p{L}\p{N}]+$/u.test(w)).slice(0, 16);
  if (!terms.length) return [];
  const ideas = sql`d.kind = 'thread' and d.community_id = ${communityId}
    and exists (select 1 from ideas i join threads t on t.id = i.thread_id where i.thread_id = d.ref_id and i.merged_into is null and t.removed is null)`;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const query = terms.map((t) => `${t}:*`).join(" | ");
    const { rows } = await sql<{ ref_id: string }>`
      select d.ref_id from search_documents d, to_tsquery('english', ${query}) q
      where d.tsv @@ q and ${ideas}
      order by ts_rank(d.tsv, q) desc, d.id desc
      limit ${limit}`.execute(db);
    return rows.map((r) => r.ref_id);
  }
  const match = terms.map((t) => `"${t}"*`).join(" OR ");
  const { rows } = await sql<{ ref_id: string }>`
    select d.ref_id from search_fts join search_documents d on d.id = search_fts.rowid
    where search_fts match ${match} and ${ideas}
    order by bm25(search_fts, 4.0, 1.0), d.id desc
    limit ${limit}`.execute(db);
  return rows.map((r) => r.ref_id);
}

/**
 * Search what this reader may see: threads, ideas, prompts and replies of the communities they
 * can view (staff: all of them) and, for staff, suggestions. Scheduled prompts before they
 * appear, removed posts, and a masked prompt's answers the reader has not earned by answering
 * stay out, by the same policy the pages use. Ranked, with the matches marked.
 */
export async function search(db: Db, actor: Actor, query: string): Promise<SearchResult[]> {
  const terms = searchTerms(query);
  if (!terms.length) return [];
  // The communities this reader may see (the community.view rule); suggestions are for whoever may view them.
  const seesSuggestions = can(actor, "suggestion.view");
  // The reader's role in each community they belong to: what else they see there (discussion.see-all).
  const memberships = await db.selectFrom("memberships").select(["community_id as id", "role as membership_role"]).where("user_id", "=", actor.id).execute();
  const at = now();
  // Titles and snippets come from the Markdown as written: shown without its markers.
  const hits = (await candidates(db, terms, { communities: visibleCommunities(db, actor), suggestions: seesSuggestions })).map((hit) => ({
    ...hit,
    title_marked: stripMarkdownMarkers(hit.title_marked),
    snippet: stripMarkdownMarkers(hit.snippet),
  }));
  if (!hits.length) return [];

  const ids = (kind: Hit["kind"]) => hits.filter((h) => h.kind === kind).map((h) => h.ref_id);
  const [threadIds, replyIds] = [ids("thread"), ids("reply")];
  // Each hit's community comes with it; only the hits' threads and replies are read.
  const communityColumns = ["communities.slug", "communities.name", "communities.starts_at", "communities.ends_at", "communities.published_at", "communities.archived_at", "communities.time_zone"] as const;
  const [threads, replies, answered] = await Promise.all([
    threadIds.length
      ? db
          .selectFrom("threads")
          .innerJoin("communities", "communities.id", "threads.community_id")
          .select(["threads.id", "threads.community_id", "threads.kind", "threads.removed", "threads.visible_from", "threads.masked", ...communityColumns])
          .where("threads.id", "in", threadIds)
          .execute()
      : [],
    replyIds.length
      ? db
          .selectFrom("replies")
          .innerJoin("threads", "threads.id", "replies.thread_id")
          .innerJoin("communities", "communities.id", "threads.community_id")
          .select(["replies.id", "replies.created_at", "replies.removed", "replies.author_id", "replies.follow_up_id", "threads.id as thread_id", "threads.title", "threads.community_id", "threads.masked", "threads.removed as thread_removed", "threads.visible_from", ...communityColumns])
          .where("replies.id", "in", replyIds)
          .execute()
      : [],
    // Which of the hits' masked prompts this reader has answered.
    replyIds.length
      ? db
          .selectFrom("replies")
          .select("thread_id")
          .distinct()
          .where("author_id", "=", actor.id)
          .where("removed", "is", null)
          .where("follow_up_id", "is", null)
          .where("thread_id", "in", db.selectFrom("replies").select("thread_id").where("id", "in", replyIds))
          .execute()
      : [],
  ]);
  const community = new Map([...threads, ...replies].map(({ community_id, slug, name, starts_at, ends_at, published_at, archived_at, time_zone }) => [community_id, { id: community_id, slug, name, starts_at, ends_at, published_at, archived_at, time_zone }]));
  const membership = new Map(memberships.map((m) => [m.id, m.membership_role]));
  const seesAll = (communityId: string) => {
    const c = community.get(communityId)!;
    const role = membership.get(communityId);
    return can(actor, "discussion.see-all", { community: { ...c, phase: phaseOf(c, at) }, membership: role ? { role } : null });
  };
  const answeredThreads = new Set(answered.map((a) => a.thread_id));
  const threadById = new Map(threads.map((t) => [t.id, t]));
  const replyById = new Map(replies.map((r) => [r.id, r]));

  const results: SearchResult[] = [];
  for (const hit of hits) {
    if (results.length >= RESULTS) break;
    if (hit.kind === "suggestion") {
      if (seesSuggestions) results.push({ kind: "suggestion", title: hit.title_marked, snippet: hit.snippet, link: `/suggestions/${hit.ref_id}`, community: null });
      continue;
    }
    if (hit.kind === "thread") {
      const t = threadById.get(hit.ref_id);
      if (!t || !listedPost({ kind: "thread", removed: t.removed, thread: t }, { seesAll: seesAll(t.community_id), answeredMasked: false }, at)) continue;
      const c = community.get(t.community_id)!;
      results.push({ kind: t.kind === "discussion" ? "thread" : t.kind, title: hit.title_marked, snippet: hit.snippet, link: `/c/${c.slug}/t/${t.id}`, community: c.name });
      continue;
    }
    const r = replyById.get(hit.ref_id);
    if (!r) continue;
    const reader = { seesAll: seesAll(r.community_id), answeredMasked: answeredThreads.has(r.thread_id) };
    if (r.follow_up_id) {
      // A private follow-up's answer: found only by those its page opens for (the follow-up.view rule).
      if (!r.removed && (reader.seesAll || r.author_id === actor.id)) {
        results.push({ kind: "reply", title: `Private follow-up answer in “${r.title}”`, snippet: hit.snippet, link: followUpLink(r.follow_up_id), community: community.get(r.community_id)!.name });
      }
      continue;
    }
    if (!listedPost({ kind: "reply", removed: r.removed, thread: { removed: r.thread_removed, visible_from: r.visible_from, masked: r.masked } }, reader, at)) continue;
    const c = community.get(r.community_id)!;
    results.push({ kind: "reply", title: `Reply in “${r.title}”`, snippet: hit.snippet, link: replyLink(c.slug, r.thread_id, r), community: c.name });
  }
  return results;
}

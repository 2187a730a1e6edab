import { sql, type Kysely } from "kysely";
import type { Database, SuggestionStatus } from "#db/schema.ts";
import { assertAllowed, type Actor } from "#app/features/auth/policy.ts";
import { STATUS_LABEL } from "./statuses.ts";
import { postLink } from "#app/features/discussions/links.ts";
import { isoDay } from "#app/lib/dates.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { BOARD_COLUMN, BOARD_PAGE } from "./schemas.ts";
import { markdownToText } from "#app/lib/markdown.server.ts";
import { strengthOf } from "./strength.server.ts";

type Db = Kysely<Database>;

export interface BoardFilters {
  tag?: string;
  community?: string;
  owner?: string;
  status?: SuggestionStatus;
  sort: "strength" | "recent";
}

/**
 * The board's sort as one number per row, so a cursor is (number, id): members first, then
 * linked votes (below a million per suggestion), or the time of the last change.
 */
const boardKey = (sort: BoardFilters["sort"]) =>
  sort === "strength" ? sql<number>`(suggestions.strength_members * 1000000 + suggestions.strength_votes)` : sql<number>`suggestions.updated_at`;

/**
 * The product team's board: filtered suggestions with tags and strength, a page at a time
 * in the chosen order (or, for the columns view, the first of each status), how many there
 * are of each status, and how many carry each tag. Five queries whatever the board's size.
 */
export async function listBoard(db: Db, actor: Actor, filters: BoardFilters, options: { after?: Cursor; columns?: boolean; all?: boolean } = {}) {
  assertAllowed(actor, "suggestion.view");
  const fromCommunity = (slug: string) =>
    db
      .selectFrom("highlights")
      .innerJoin("communities", "communities.id", "highlights.community_id")
      .select("highlights.suggestion_id")
      .where("communities.slug", "=", slug)
      .union(db.selectFrom("ideas").innerJoin("communities", "communities.id", "ideas.community_id").select("ideas.suggestion_id").where("communities.slug", "=", slug));
  // Filtered by everything but the tag, for the tag counts.
  const untagged = db
    .selectFrom("suggestions")
    .$if(filters.community !== undefined, (q) => q.where("suggestions.id", "in", fromCommunity(filters.community!)))
    .$if(filters.owner !== undefined, (q) => q.where("suggestions.owner_id", "=", filters.owner!))
    .$if(filters.status !== undefined, (q) => q.where("suggestions.status", "=", filters.status!));
  const matching = untagged.$if(filters.tag !== undefined, (q) =>
    q.where("suggestions.id", "in", db.selectFrom("suggestion_tags").select("suggestion_id").where("tag_id", "=", filters.tag!)),
  );
  const key = boardKey(filters.sort);
  const columns = [
    "suggestions.id",
    "suggestions.title",
    "suggestions.status",
    "suggestions.updated_at",
    "suggestions.created_at",
    "suggestions.public_answer",
    "suggestions.owner_id",
    "suggestions.strength_members",
    "suggestions.strength_votes",
    "suggestions.strength_communities",
    "suggestions.strength_quotes",
  ] as const;
  const listed = matching.leftJoin("users as owner", "owner.id", "suggestions.owner_id").select([...columns, "owner.display_name as owner", key.as("sort_value")]);
  const pageQuery = () => {
    let query = listed;
    if (options.after) query = query.where(pastCursor(key, "suggestions.id", options.after, "<"));
    query = query.orderBy(key, "desc").orderBy("suggestions.id", "desc");
    return options.all ? query : query.limit(BOARD_PAGE + 1);
  };
  // The columns view: the first of each status in the same order, one query with a window.
  const columnsQuery = () =>
    db
      .selectFrom(
        listed
          .select(sql<number>`row_number() over (partition by suggestions.status order by ${key} desc, suggestions.id desc)`.as("place"))
          .as("ranked"),
      )
      .selectAll()
      .where("place", "<=", BOARD_COLUMN)
      .orderBy("sort_value", "desc")
      .orderBy("id", "desc");
  const [rows, statusCounts, tagCounts] = await Promise.all([
    options.columns ? columnsQuery().execute() : pageQuery().execute(),
    matching
      .select(["suggestions.status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("suggestions.status")
      .execute(),
    // A count per tag from the tag index; the other filters narrow it only when present.
    db
      .selectFrom("tags")
      .select(["tags.id", "tags.name", "tags.color"])
      .select((eb) =>
        eb
          .selectFrom("suggestion_tags")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("suggestion_tags.tag_id", "=", "tags.id")
          .$if(filters.community !== undefined || filters.owner !== undefined || filters.status !== undefined, (q) => q.where("suggestion_tags.suggestion_id", "in", untagged.select("suggestions.id")))
          .as("n"),
      )
      .orderBy("tags.name")
      .execute(),
  ]);
  const page = options.columns || options.all ? rows : rows.slice(0, BOARD_PAGE);
  const ids = page.map((r) => r.id);
  const tagRows = ids.length
    ? await db
        .selectFrom("suggestion_tags")
        .innerJoin("tags", "tags.id", "suggestion_tags.tag_id")
        .select(["suggestion_tags.suggestion_id", "tags.id", "tags.name", "tags.color"])
        .where("suggestion_tags.suggestion_id", "in", ids)
        .orderBy("tags.name")
        .execute()
    : [];
  const last = page.at(-1);
  return {
    suggestions: page.map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      updated_at: row.updated_at,
      created_at: row.created_at,
      public_answer: row.public_answer,
      owner_id: row.owner_id,
      owner: row.owner,
      strength: strengthOf(row),
      tags: tagRows.filter((t) => t.suggestion_id === row.id).map(({ id, name, color }) => ({ id, name, color })),
    })),
    next: !options.columns && !options.all && rows.length > BOARD_PAGE && last ? { at: Number(last.sort_value), id: last.id } : undefined,
    statusCounts: Object.fromEntries(statusCounts.map((s) => [s.status, Number(s.n)])) as Partial<Record<SuggestionStatus, number>>,
    tagCounts: tagCounts.map((t) => ({ ...t, n: Number(t.n) })),
  };
}

/** The board as CSV rows: one per suggestion, with its evidence in one cell (a line per quote, with author, community, date and link). */
export async function boardCsvRows(db: Db, actor: Actor, filters: BoardFilters, siteOrigin: string): Promise<string[][]> {
  const { suggestions } = await listBoard(db, actor, filters, { all: true });
  const ids = suggestions.map((s) => s.id);
  const evidence = ids.length
    ? await db
        .selectFrom("highlights")
        .innerJoin("users", "users.id", "highlights.post_author_id")
        .innerJoin("communities", "communities.id", "highlights.community_id")
        .leftJoin("replies", (join) => join.onRef("replies.id", "=", "highlights.post_id").on("highlights.post_kind", "=", "reply"))
        .select(["highlights.suggestion_id", "highlights.quote", "highlights.created_at", "highlights.thread_id", "highlights.post_kind", "highlights.post_id", "replies.created_at as reply_created_at", "users.display_name", "communities.name", "communities.slug"])
        .where("highlights.suggestion_id", "in", ids)
        .orderBy("highlights.created_at")
        .execute()
    : [];
  const header = ["Title", "Status", "Tags", "Owner", "Members", "Linked votes", "Communities", "Quotes", "Public answer", "Evidence", "Link"];
  return [
    header,
    ...suggestions.map((s) =>
      [
      s.title,
      STATUS_LABEL[s.status],
      s.tags.map((t) => t.name).join(", "),
      s.owner ?? "",
      String(s.strength.members),
      String(s.strength.votes),
      String(s.strength.communities),
      String(s.strength.quotes),
      markdownToText(s.public_answer ?? ""),
      evidence
        .filter((e) => e.suggestion_id === s.id)
        .map((e) => {
          const link = `${siteOrigin}${postLink(e.slug, e.thread_id, { kind: e.post_kind, id: e.post_id, created_at: e.reply_created_at })}`;
          return `"${markdownToText(e.quote).replace(/\s+/g, " ")}" (${e.display_name}, ${e.name}, ${isoDay(e.created_at)}) ${link}`;
        })
        .join("\n"),
      `${siteOrigin}/suggestions/${s.id}`,
      ],
    ),
  ];
}

import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";

type Db = Kysely<Database>;

export interface Strength {
  members: number;
  votes: number;
  communities: number;
  quotes: number;
}

/**
 * Recount the strength kept on these suggestions' rows: distinct members (authors of
 * evidence and voters of linked ideas), linked votes, communities, quotes. Called inside
 * every use case that changes evidence, idea links or votes on a linked idea, so the board
 * sorts and pages by stored numbers. One statement.
 */
export async function refreshStrength(db: Db, ids: (string | null | undefined)[]): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return;
  await db
    .updateTable("suggestions")
    .set({
      strength_quotes: sql`(select count(*) from highlights h where h.suggestion_id = suggestions.id)`,
      strength_votes: sql`(select coalesce(sum(i.vote_count), 0) from ideas i where i.suggestion_id = suggestions.id)`,
      strength_members: sql`(select count(*) from (
        select h.post_author_id as person from highlights h where h.suggestion_id = suggestions.id
        union select v.user_id from votes v join ideas i on i.thread_id = v.idea_id where i.suggestion_id = suggestions.id) people)`,
      strength_communities: sql`(select count(*) from (
        select h.community_id as place from highlights h where h.suggestion_id = suggestions.id
        union select i.community_id from ideas i where i.suggestion_id = suggestions.id) places)`,
    })
    .where("id", "in", wanted)
    .execute();
}

export const strengthOf = (row: { strength_members: number; strength_votes: number; strength_communities: number; strength_quotes: number }): Strength => ({
  members: row.strength_members,
  votes: row.strength_votes,
  communities: row.strength_communities,
  quotes: row.strength_quotes,
});

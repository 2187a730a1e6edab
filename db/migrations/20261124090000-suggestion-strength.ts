import { sql, type Kysely } from "kysely";

/**
 * A suggestion's strength (distinct members behind it, linked votes, communities, quotes)
 * kept on its row, so the board sorts and pages by it without counting evidence and votes
 * on every request. The use cases that change evidence, links or votes refresh it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ["strength_members", "strength_votes", "strength_communities", "strength_quotes"]) {
    await db.schema.alterTable("suggestions").addColumn(column, "integer", (c) => c.notNull().defaultTo(0)).execute();
  }
  // The board's two orders, and its owner filter's list of staff.
  await db.schema.createIndex("suggestions_updated").on("suggestions").columns(["updated_at", "id"]).execute();
  await sql`create index suggestions_strength on suggestions ((strength_members * 1000000 + strength_votes), id)`.execute(db);
  await db.schema.createIndex("users_role_name").on("users").columns(["role", "display_name"]).execute();
  // The same counts as refreshStrength in app/features/suggestions, frozen here as of this migration.
  await sql`
    update suggestions set
      strength_quotes = (select count(*) from highlights h where h.suggestion_id = suggestions.id),
      strength_votes = (select coalesce(sum(i.vote_count), 0) from ideas i where i.suggestion_id = suggestions.id),
      strength_members = (select count(*) from (
        select h.post_author_id as person from highlights h where h.suggestion_id = suggestions.id
        union select v.user_id from votes v join ideas i on i.thread_id = v.idea_id where i.suggestion_id = suggestions.id) people),
      strength_communities = (select count(*) from (
        select h.community_id as place from highlights h where h.suggestion_id = suggestions.id
        union select i.community_id from ideas i where i.suggestion_id = suggestions.id) places)
  `.execute(db);
}

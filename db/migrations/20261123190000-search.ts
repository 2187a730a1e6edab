import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * Full-text search over threads (ideas included), replies and suggestions. Both engines keep
 * a `search_documents` table in step with those tables through triggers, so no write path
 * can forget it; SQLite indexes it with an FTS5 external-content table, PostgreSQL with a
 * weighted tsvector column and a GIN index. app/features/search/search.server.ts queries
 * each the same way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("search_documents")
    .addColumn("id", "integer", (c) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    // thread | reply | suggestion
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ref_id", "text", (c) => c.notNull())
    // Null for suggestions, which only staff see.
    .addColumn("community_id", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addUniqueConstraint("search_documents_ref", ["kind", "ref_id"])
    .execute();
  await db.schema.createIndex("search_documents_community").on("search_documents").column("community_id").execute();

  if (postgres) {
    await sql`alter table search_documents add column tsv tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) stored`.execute(db);
    await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
    const sync = (table: string, kind: string, community: string, title: string, body: string) => sql.raw(`
      create function search_sync_${table}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          delete from search_documents where kind = '${kind}' and ref_id = old.id;
          return old;
        end if;
        insert into search_documents (kind, ref_id, community_id, title, body)
        values ('${kind}', new.id, ${community}, ${title}, ${body})
        on conflict (kind, ref_id) do update set title = excluded.title, body = excluded.body;
        return new;
      end $$;
      create trigger ${table}_search after insert or update or delete on ${table}
      for each row execute function search_sync_${table}();`);
    await sync("threads", "thread", "new.community_id", "new.title", "new.body_markdown").execute(db);
    await sync("replies", "reply", "(select community_id from threads where id = new.thread_id)", "''", "new.body_markdown").execute(db);
    await sync("suggestions", "suggestion", "null", "new.title", "new.problem_markdown").execute(db);
  } else {
    await sql`create virtual table search_fts using fts5(title, body, content='search_documents', content_rowid='id', tokenize='porter unicode61')`.execute(db);
    for (const statement of [
      `create trigger search_documents_ai after insert on search_documents begin
         insert into search_fts (rowid, title, body) values (new.id, new.title, new.body); end`,
      `create trigger search_documents_ad after delete on search_documents begin
         insert into search_fts (search_fts, rowid, title, body) values ('delete', old.id, old.title, old.body); end`,
      `create trigger search_documents_au after update on search_documents begin
         insert into search_fts (search_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
         insert into search_fts (rowid, title, body) values (new.id, new.title, new.body); end`,
      `create trigger threads_search_ai after insert on threads begin
         insert into search_documents (kind, ref_id, community_id, title, body) values ('thread', new.id, new.community_id, new.title, new.body_markdown); end`,
      `create trigger threads_search_au after update of title, body_markdown on threads begin
         update search_documents set title = new.title, body = new.body_markdown where kind = 'thread' and ref_id = new.id; end`,
      `create trigger threads_search_ad after delete on threads begin
         delete from search_documents where kind = 'thread' and ref_id = old.id; end`,
      `create trigger replies_search_ai after insert on replies begin
         insert into search_documents (kind, ref_id, community_id, title, body)
         values ('reply', new.id, (select community_id from threads where id = new.thread_id), '', new.body_markdown); end`,
      `create trigger replies_search_au after update of body_markdown on replies begin
         update search_documents set body = new.body_markdown where kind = 'reply' and ref_id = new.id; end`,
      `create trigger replies_search_ad after delete on replies begin
         delete from search_documents where kind = 'reply' and ref_id = old.id; end`,
      `create trigger suggestions_search_ai after insert on suggestions begin
         insert into search_documents (kind, ref_id, community_id, title, body) values ('suggestion', new.id, null, new.title, new.problem_markdown); end`,
      `create trigger suggestions_search_au after update of title, problem_markdown on suggestions begin
         update search_documents set title = new.title, body = new.problem_markdown where kind = 'suggestion' and ref_id = new.id; end`,
      `create trigger suggestions_search_ad after delete on suggestions begin
         delete from search_documents where kind = 'suggestion' and ref_id = old.id; end`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  }

  // What was written before search existed.
  await sql`insert into search_documents (kind, ref_id, community_id, title, body) select 'thread', id, community_id, title, body_markdown from threads`.execute(db);
  await sql`insert into search_documents (kind, ref_id, community_id, title, body) select 'reply', replies.id, threads.community_id, '', replies.body_markdown from replies join threads on threads.id = replies.thread_id`.execute(db);
  await sql`insert into search_documents (kind, ref_id, community_id, title, body) select 'suggestion', id, null, title, problem_markdown from suggestions`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    for (const table of ["threads", "replies", "suggestions"]) {
      await sql.raw(`drop trigger if exists ${table}_search on ${table}; drop function if exists search_sync_${table}();`).execute(db);
    }
  } else {
    for (const trigger of ["search_documents_ai", "search_documents_ad", "search_documents_au", "threads_search_ai", "threads_search_au", "threads_search_ad", "replies_search_ai", "replies_search_au", "replies_search_ad", "suggestions_search_ai", "suggestions_search_au", "suggestions_search_ad"]) {
      await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
    }
    await sql`drop table if exists search_fts`.execute(db);
  }
  await db.schema.dropTable("search_documents").execute();
}

import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { newId } from "#app/lib/ids.ts";
import type { NamedText } from "#app/lib/named-text.ts";
import { namesFor } from "#app/lib/named-text.server.ts";

/**
 * Record a staff action, with what undoing it needs (null when it cannot be undone). The
 * summary names people by reference (app/lib/named-text.ts), so it never outlives a rename
 * or an erasure; the reads below put in their current names.
 */
export async function recordAudit(db: Kysely<Database>, actorId: string, entry: { action: string; summary: NamedText; undo: object | null }): Promise<string> {
  const id = newId();
  await db
    .insertInto("audit_log")
    .values({ id, actor_id: actorId, action: entry.action, summary: entry.summary, undo: entry.undo ? JSON.stringify(entry.undo) : null, created_at: now(), undone_at: null, undone_by: null })
    .execute();
  return id;
}

/** One of this actor's own entries, while it can still be undone (for the "Done: … Undo" banner). */
export async function undoableEntry(db: Kysely<Database>, actorId: string, id: string) {
  const entry = await db.selectFrom("audit_log").select(["id", "summary"]).where("id", "=", id).where("actor_id", "=", actorId).where("undone_at", "is", null).executeTakeFirst();
  if (!entry) return undefined;
  return { ...entry, summary: (await namesFor(db, [entry.summary]))(entry.summary) };
}

/** The log, newest first, by key. */
export async function listAudit(db: Kysely<Database>, options: { before?: Cursor; limit?: number } = {}) {
  const limit = options.limit ?? 50;
  let query = db
    .selectFrom("audit_log")
    .innerJoin("users", "users.id", "audit_log.actor_id")
    .select(["audit_log.id", "audit_log.actor_id", "audit_log.action", "audit_log.summary", "audit_log.undo", "audit_log.created_at", "audit_log.undone_at", "users.display_name as actor"])
    .orderBy("audit_log.created_at", "desc")
    .orderBy("audit_log.id", "desc")
    .limit(limit + 1);
  if (options.before) query = query.where(pastCursor("audit_log.created_at", "audit_log.id", options.before, "<"));
  const rows = await query.execute();
  const render = await namesFor(db, rows.map((row) => row.summary));
  return { entries: rows.slice(0, limit).map((row) => ({ ...row, summary: render(row.summary) })), hasMore: rows.length > limit };
}

import { Migrator, SqliteAdapter, sql } from "kysely";
import type { Kysely } from "kysely";
import { migrations } from "./migrations/index.ts";

/** How long a process waits for another's migrations before giving up. */
const LOCK_WAIT_MS = 10 * 60_000;

/**
 * Apply every pending migration; the app at start, the CLI and the tests all call this.
 * On PostgreSQL the migration tables' schema is named: Kysely otherwise looks for them in
 * every schema and can mistake another schema's for ours.
 *
 * Several processes may call this at once (instances started together). Each migration is
 * still applied once: on PostgreSQL Kysely's Migrator takes a transaction-scoped advisory
 * lock (pg_advisory_xact_lock) and runs what is pending inside that transaction; on SQLite,
 * where Kysely takes no lock, the whole run is one exclusive transaction, so the others
 * wait, then find nothing left to do. See docs/decisions/024.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return inSqliteExclusiveTransaction(db, () => migrate(db, schema));
  return migrate(db, schema);
}

async function migrate(db: Kysely<any>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * SQLite has one connection per process, so an exclusive transaction begun on it covers
 * everything the Migrator then does (it opens no transaction of its own on SQLite): other
 * processes can neither migrate nor write until it ends, and a failed migration leaves
 * nothing half done.
 */
async function inSqliteExclusiveTransaction<T>(db: Kysely<any>, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await sql`begin exclusive`.execute(db);
      break;
    } catch (error) {
      // The driver already retried for a few seconds; another process is still migrating.
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
    }
  }
  try {
    const result = await run();
    await sql`commit`.execute(db);
    return result;
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
}

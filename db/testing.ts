/**
 * Real databases for tests: a fresh SQLite file always, and a throwaway schema in the
 * PostgreSQL that TEST_DATABASE_URL names when it is set. Each is migrated with the same
 * Migrator the app uses, and removed afterwards, leaving the server as it was found.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { openPostgres, openSqlite, type DatabaseHandle, type Engine } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";

export interface TestDatabase extends DatabaseHandle {
  cleanup(): Promise<void>;
}

/** The engines this run tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];
}

/** `connections` (PostgreSQL) sizes the pool; one makes every query meet the same connection. */
export async function createTestDatabase(engine: Engine, options: { migrate?: boolean; connections?: number } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cohort-test-"));
    const handle = openSqlite(join(dir, "test.db"));
    if (migrate) await migrateToLatest(handle.db, handle.schema);
    return {
      ...handle,
      async cleanup() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  const schema = `cohort_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openPostgres(url, { schema, max: options.connections ?? 20 });
  if (migrate) await migrateToLatest(handle.db, handle.schema);
  return {
    ...handle,
    location: `${handle.location} (schema ${schema})`,
    schema,
    async cleanup() {
      await handle.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

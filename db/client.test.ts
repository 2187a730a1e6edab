import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { nameStatements, openPostgres, openSqlite } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";
import { createTestDatabase } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "cohort-client-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQLite connections", () => {
  it("wait for another connection's write lock without stopping the event loop, then write", async () => {
    const path = join(dir, "busy.db");
    const first = openSqlite(path);
    const second = openSqlite(path);
    await migrateToLatest(first.db);
    try {
      // The first connection takes the write lock and keeps it until released.
      let release: (() => void) | undefined;
      const holding = first.db.transaction().execute(async (trx) => {
        await trx.insertInto("rate_limits").values({ bucket: "first", window_start: 1, hits: 1 }).execute();
        await new Promise<void>((resolve) => (release = resolve));
      });
      while (!release) await new Promise((resolve) => setImmediate(resolve));

      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const waiting = second.db.insertInto("rate_limits").values({ bucket: "second", window_start: 1, hits: 1 }).execute();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Had SQLite slept inside the call, no timer would have run and the lock never been released.
      expect(ticks).toBeGreaterThan(5);
      release();
      await holding;
      await waiting;
      clearInterval(timer);
      const rows = await first.db.selectFrom("rate_limits").select("bucket").orderBy("bucket").execute();
      expect(rows.map((r) => r.bucket)).toEqual(["first", "second"]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)("PostgreSQL statements", () => {
  /** A throwaway schema on a one-connection pool, so every query meets the same connection. */
  async function oneConnection() {
    const database = await createTestDatabase("postgres", { migrate: false, connections: 1 });
    const kept = async () =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements order by prepare_time`.execute(database.db)).rows.map((r) => r.statement);
    return { db: database.db, kept, cleanup: database.cleanup };
  }

  it("are prepared once per connection by their SQL text and reused", async () => {
    const { db, kept, cleanup } = await oneConnection();
    try {
      await sql`create table notes (id int primary key, body text)`.execute(db);
      for (let id = 1; id <= 3; id++) await db.insertInto("notes" as never).values({ id, body: `note ${id}` } as never).execute();
      const read = (id: number) => sql<{ body: string }>`select body from notes where id = ${id}`.execute(db);
      expect((await read(2)).rows).toEqual([{ body: "note 2" }]);
      expect((await read(3)).rows).toEqual([{ body: "note 3" }]);
      const statements = await kept();
      // One statement for the three inserts, one for both reads, each with its parameters.
      expect(statements.filter((s) => s.startsWith("insert into"))).toHaveLength(1);
      expect(statements.filter((s) => s === "select body from notes where id = $1")).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it("name only the first texts a process sees, and run the rest unnamed", async () => {
    const pool = nameStatements(new pg.Pool({ connectionString: postgresUrl, max: 1 }), 2);
    try {
      const client = await pool.connect();
      for (const n of [1, 2, 3, 4]) expect((await client.query(`select ${n}::int as n where $1::int = 1`, [1])).rows).toEqual([{ n }]);
      const { rows } = await client.query("select statement from pg_prepared_statements order by prepare_time", []);
      // The first two texts only.
      expect(rows.map((r: { statement: string }) => r.statement)).toEqual(["select 1::int as n where $1::int = 1", "select 2::int as n where $1::int = 1"]);
      client.release();
    } finally {
      await pool.end();
    }
  });

  it("survive a table changing shape under a kept statement: one query fails, the next prepares afresh", async () => {
    const { db, cleanup } = await oneConnection();
    try {
      await sql`create table notes (id int primary key)`.execute(db);
      await sql`insert into notes values (1)`.execute(db);
      const everything = () => db.selectFrom("notes" as never).selectAll().where("id" as never, ">", 0 as never).execute();
      expect(await everything()).toEqual([{ id: 1 }]);
      await sql`alter table notes add column body text default 'kept'`.execute(db);
      // PostgreSQL refuses a kept plan whose columns changed; that connection is closed.
      await expect(everything()).rejects.toThrow(/cached plan must not change result type/);
      expect(await everything()).toEqual([{ id: 1, body: "kept" }]);
      expect(await everything()).toEqual([{ id: 1, body: "kept" }]);
    } finally {
      await cleanup();
    }
  });
});

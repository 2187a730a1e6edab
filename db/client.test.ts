import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";

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

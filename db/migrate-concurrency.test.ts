import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrations } from "./migrations/index.ts";
import { openDatabase } from "./client.ts";

/**
 * Instances started together on an empty database each run the migrations at start
 * (server/main.ts). Whichever gets the lock applies them; the others wait, find nothing left
 * to do, and every migration is applied exactly once.
 */
function migrateInProcess(databaseUrl: string, startAt: number): Promise<{ code: number | null; applied: string[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "db/migrate-race.child.ts"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, START_AT: String(startAt) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      resolve({ code, applied: line.startsWith("[") ? (JSON.parse(line) as string[]) : [], stderr });
    });
  });
}

async function raceOn(databaseUrl: string, processes: number) {
  // Far enough ahead that every process has loaded and opened the database by then.
  const startAt = Date.now() + 4000;
  const results = await Promise.all(Array.from({ length: processes }, () => migrateInProcess(databaseUrl, startAt)));
  for (const result of results) expect(result.code, result.stderr).toBe(0);
  const applied = results.flatMap((r) => r.applied).sort();
  // Every migration applied, none twice, and the record says the same.
  expect(applied).toEqual(Object.keys(migrations).sort());
  const handle = openDatabase(databaseUrl);
  try {
    const recorded = await handle.db.selectFrom("kysely_migration" as never).select("name" as never).execute();
    expect(recorded.length).toBe(Object.keys(migrations).length);
  } finally {
    await handle.close();
  }
}

describe("migrations started by several processes at once", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("on SQLite: each migration is applied once", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-migrate-race-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await raceOn(join(dir, "race.db"), 3);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("on PostgreSQL: each migration is applied once", { timeout: 60_000 }, async () => {
    // A database of its own: the migration tables live in its public schema, as in production.
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const name = `cohort_migrate_race_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    });
    const target = new URL(url);
    target.pathname = `/${name}`;
    await raceOn(target.toString(), 3);
  });
});

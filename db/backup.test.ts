import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { backupFiles, backupSqlite, integrityCheck, restoreFiles, restoreSqlite } from "./backup.ts";
import { openSqlite } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";

const dir = mkdtempSync(join(tmpdir(), "cohort-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another process writing as fast as it can, as the app would, until told to stop. */
function writer(path: string) {
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import SQLite from "better-sqlite3";
       const db = new SQLite(${JSON.stringify(path)});
       db.pragma("journal_mode = WAL"); db.pragma("busy_timeout = 5000");
       const insert = db.prepare("insert into rate_limits (bucket, window_start, hits) values (?, ?, 1)");
       let n = 0; process.stdout.write("ready\\n");
       const tick = () => { for (let i = 0; i < 50; i++) insert.run("w" + n++, Date.now()); setImmediate(tick); };
       tick();`,
    ],
    { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
  );
  const ready = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return { ready, stop: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill("SIGKILL"))) };
}

describe("SQLite backups", () => {
  it("takes a consistent copy while another process writes, and it restores to a database whose integrity check is ok", async () => {
    const live = join(dir, "live.db");
    const handle = openSqlite(live);
    await migrateToLatest(handle.db);
    await handle.close();
    const load = writer(live);
    await load.ready;
    await new Promise((r) => setTimeout(r, 200)); // let writes pile up
    const copy = join(dir, "backup.db");
    const { pages } = await backupSqlite(live, copy);
    await load.stop();
    expect(pages).toBeGreaterThan(0);
    expect(integrityCheck(copy)).toBe("ok");

    const restored = join(dir, "restored.db");
    restoreSqlite(copy, restored);
    expect(integrityCheck(restored)).toBe("ok");
    const db = new SQLite(restored, { readonly: true });
    const writes = (db.prepare("select count(*) as n from rate_limits").get() as { n: number }).n;
    const migrations = (db.prepare("select count(*) as n from kysely_migration").get() as { n: number }).n;
    db.close();
    expect(writes).toBeGreaterThan(0);
    expect(migrations).toBeGreaterThan(5);
  });

  it("refuses to restore a file that is not a sound database", () => {
    const junk = join(dir, "junk.db");
    writeFileSync(junk, "not a database at all, just text ".repeat(200));
    expect(() => restoreSqlite(junk, join(dir, "target.db"))).toThrow();
  });

  it("copies the local attachment files beside a backup and puts them back on restore, replacing what is there", () => {
    const files = join(dir, "attachments");
    mkdirSync(join(files, "ab"), { recursive: true });
    writeFileSync(join(files, "ab", "abc.full"), "image bytes");
    writeFileSync(join(files, "ab", "abc.full.1234.tmp"), "half written");
    expect(backupFiles(files, join(dir, "copy.db.attachments"))).toBe(true);
    expect(readdirSync(join(dir, "copy.db.attachments", "ab"))).toEqual(["abc.full"]);
    writeFileSync(join(files, "ab", "abc.full"), "changed");
    writeFileSync(join(files, "ab", "later.full"), "uploaded after the backup");
    expect(restoreFiles(join(dir, "copy.db.attachments"), files)).toBe(true);
    expect(readFileSync(join(files, "ab", "abc.full"), "utf8")).toBe("image bytes");
    expect(readdirSync(join(files, "ab"))).toEqual(["abc.full"]);
    expect(backupFiles(join(dir, "no-such-dir"), join(dir, "x"))).toBe(false);
    expect(restoreFiles(join(dir, "no-such-backup"), files)).toBe(false);
  });
});

/**
 * Backups of the SQLite database through SQLite's online backup API: a consistent copy
 * while the app keeps reading and writing. PostgreSQL has its own tools (pg_dump,
 * pg_restore; see the README).
 */
import SQLite from "better-sqlite3";
import { existsSync, mkdirSync, renameSync, rmSync, copyFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** SQLite's own verdict on a database file: "ok", or what is wrong. */
export function integrityCheck(path: string): string {
  const database = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const rows = database.pragma("integrity_check") as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join("; ");
  } finally {
    database.close();
  }
}

/** Copy a live database to `destination`, then check the copy. */
export async function backupSqlite(source: string, destination: string): Promise<{ pages: number }> {
  mkdirSync(dirname(resolve(destination)), { recursive: true });
  const database = new SQLite(source, { fileMustExist: true });
  database.pragma("busy_timeout = 5000");
  let pages = 0;
  try {
    const result = await database.backup(destination);
    pages = result.totalPages;
  } finally {
    database.close();
  }
  const verdict = integrityCheck(destination);
  if (verdict !== "ok") throw new Error(`The backup at ${destination} failed its integrity check: ${verdict}`);
  return { pages };
}

/**
 * Put a backup in place of the database file. The app must be stopped: the backup is
 * checked first, copied beside the target, then renamed over it, and the old WAL files go.
 */
export function restoreSqlite(backup: string, target: string): void {
  const verdict = integrityCheck(backup);
  if (verdict !== "ok") throw new Error(`Refusing to restore ${backup}: its integrity check says ${verdict}`);
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const staging = `${target}.restoring`;
  copyFileSync(backup, staging);
  for (const suffix of ["-wal", "-shm"]) if (existsSync(`${target}${suffix}`)) rmSync(`${target}${suffix}`);
  renameSync(staging, target);
}

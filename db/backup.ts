/**
 * Backups of the SQLite database through SQLite's online backup API: a consistent copy
 * while the app keeps reading and writing. PostgreSQL has its own tools (pg_dump,
 * pg_restore; see the README).
 */
import SQLite from "better-sqlite3";
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, copyFileSync } from "node:fs";
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

/**
 * The attachment files beside a backup: the directory copied next to the database copy
 * ("<backup>.attachments"). Files are never changed once written (a new image gets a new
 * id), so a copy taken after the database copy holds every file the database names.
 * Returns whether there was anything to copy.
 */
export function backupFiles(directory: string, destination: string): boolean {
  if (!existsSync(directory)) return false;
  rmSync(destination, { recursive: true, force: true });
  cpSync(directory, destination, { recursive: true, filter: (path) => !path.endsWith(".tmp") });
  return true;
}

/** Put a backup's attachment files in place of the directory (the app stopped), through a staging copy and a rename. */
export function restoreFiles(backup: string, directory: string): boolean {
  if (!existsSync(backup)) return false;
  const staging = `${resolve(directory)}.restoring`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(backup, staging, { recursive: true });
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(dirname(resolve(directory)), { recursive: true });
  renameSync(staging, directory);
  return true;
}

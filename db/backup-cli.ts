import { backupFiles, backupSqlite, restoreFiles, restoreSqlite } from "./backup.ts";
import { DEFAULT_ATTACHMENTS_DIR } from "#app/features/attachments/storage.server.ts";
import { DEFAULT_SQLITE_PATH, engineFor } from "./client.ts";

// npm run db:backup [-- <file>]   and   npm run db:restore -- <file>
const [command, file] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (engineFor(url) === "postgres") {
  console.error(
    "DATABASE_URL points at PostgreSQL: use its own tools.\n" +
      "  backup:  pg_dump --format=custom --file=cohort.dump \"$DATABASE_URL\"\n" +
      "  restore: pg_restore --clean --if-exists --dbname=\"$DATABASE_URL\" cohort.dump",
  );
  process.exit(1);
}
const database = (url ?? DEFAULT_SQLITE_PATH).replace(/^file:/, "");
// Attachment files kept locally go with the database; an object store (STORAGE_URL) is backed up by its own means (README).
const files = process.env.STORAGE_URL ? null : process.env.ATTACHMENTS_DIR || DEFAULT_ATTACHMENTS_DIR;

if (command === "backup") {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  const destination = file ?? `backups/cohort-${stamp}.db`;
  const { pages } = await backupSqlite(database, destination);
  console.log(`Backed up ${database} to ${destination} (${pages} pages, integrity check ok).`);
  if (files && backupFiles(files, `${destination}.attachments`)) console.log(`Copied the attachment files in ${files} to ${destination}.attachments.`);
} else if (command === "restore") {
  if (!file) {
    console.error("Say which backup to restore: npm run db:restore -- backups/cohort-….db  (stop the app first)");
    process.exit(1);
  }
  restoreSqlite(file, database);
  if (files && restoreFiles(`${file}.attachments`, files)) console.log(`Restored the attachment files from ${file}.attachments to ${files}.`);
  console.log(`Restored ${file} to ${database}. Start the app again.`);
} else {
  console.error("Usage: tsx db/backup-cli.ts backup [file] | restore <file>");
  process.exit(1);
}

import { backupSqlite, restoreSqlite } from "./backup.ts";
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

if (command === "backup") {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  const destination = file ?? `backups/cohort-${stamp}.db`;
  const { pages } = await backupSqlite(database, destination);
  console.log(`Backed up ${database} to ${destination} (${pages} pages, integrity check ok).`);
} else if (command === "restore") {
  if (!file) {
    console.error("Say which backup to restore: npm run db:restore -- backups/cohort-….db  (stop the app first)");
    process.exit(1);
  }
  restoreSqlite(file, database);
  console.log(`Restored ${file} to ${database}. Start the app again.`);
} else {
  console.error("Usage: tsx db/backup-cli.ts backup [file] | restore <file>");
  process.exit(1);
}

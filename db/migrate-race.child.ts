/**
 * For db/migrate-concurrency.test.ts: one of several processes that start migrating the
 * same database at the same moment (START_AT, Unix ms), as instances started together do.
 * Prints the names it applied as JSON.
 */
import { openDatabase } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";

const startAt = Number(process.env.START_AT);
const handle = openDatabase();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
try {
  console.log(JSON.stringify(await migrateToLatest(handle.db, handle.schema)));
} finally {
  await handle.close();
}

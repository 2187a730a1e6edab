import { openDatabase } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";

const handle = openDatabase();
try {
  const applied = await migrateToLatest(handle.db, handle.schema);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to ${handle.location}:\n  ${applied.join("\n  ")}`
      : `${handle.location} is up to date.`,
  );
} finally {
  await handle.close();
}

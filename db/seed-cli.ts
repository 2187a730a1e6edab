import { openDatabase } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";
import { describeDemo, generatePassword, seedDemo, wipe } from "./seed.ts";

// Reseeding deletes everything; refuse on a production deployment unless told twice.
if (process.env.NODE_ENV === "production" && !process.argv.includes("--force")) {
  console.error("Refusing to reseed: NODE_ENV is production. Pass --force if you really mean to erase this database.");
  process.exit(1);
}

const handle = openDatabase();
try {
  await migrateToLatest(handle.db, handle.schema);
  await wipe(handle);
  const password = process.env.DEMO_PASSWORD ?? generatePassword();
  const origin = process.env.APP_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const accounts = await seedDemo(handle.db, password, { siteOrigin: origin });
  console.log(describeDemo(accounts, password, `http://localhost:${process.env.PORT ?? 3000}`));
} finally {
  await handle.close();
}

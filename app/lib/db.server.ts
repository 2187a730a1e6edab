import { openDatabase, ping, type DatabaseHandle } from "#db/client.ts";
import { env } from "./env.server.ts";

let handle: DatabaseHandle | null = null;

/** The app's database, opened on first use from DATABASE_URL. */
export function database(): DatabaseHandle {
  handle ??= openDatabase(env().DATABASE_URL);
  return handle;
}

export function getDb() {
  return database().db;
}

/** Does the app's database answer? Throws if not (for /healthz). */
export async function pingDatabase(): Promise<void> {
  await ping(getDb());
}

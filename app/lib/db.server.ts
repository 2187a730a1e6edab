import { openDatabase, type DatabaseHandle } from "#db/client.ts";
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

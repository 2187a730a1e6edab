import { Migrator } from "kysely";
import type { Kysely } from "kysely";
import { migrations } from "./migrations/index.ts";

/**
 * Apply every pending migration; the app at start, the CLI and the tests all call this.
 * On PostgreSQL the migration tables' schema is named: Kysely otherwise looks for them in
 * every schema and can mistake another schema's for ours.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

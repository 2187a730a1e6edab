import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "./migrations/index.ts";
import { migrateToLatest } from "./migrate.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "./testing.ts";

describe.each(testEngines())("migrations on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine, { migrate: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("run forward on a database that already holds data, and a second run changes nothing", async () => {
    const names = Object.keys(migrations).sort();
    const first = names[0]!;
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations }, ...(t.schema ? { migrationTableSchema: t.schema } : {}) });
    const { error } = await migrator.migrateTo(first);
    expect(error).toBeUndefined();
    await t.db
      .insertInto("users")
      .values({ id: "u1", email: "early@example.com", display_name: "Early", password_hash: "x", role: "admin", created_at: 1, updated_at: 1 })
      .execute();

    const applied = await migrateToLatest(t.db, t.schema);
    expect(applied).toEqual(names.slice(1));
    expect(await t.db.selectFrom("users").select(["email", "role"]).execute()).toEqual([{ email: "early@example.com", role: "admin" }]);
    expect(await t.db.selectFrom("communities").selectAll().execute()).toEqual([]);
    expect(await migrateToLatest(t.db, t.schema)).toEqual([]);
  });
});

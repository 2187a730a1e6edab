/**
 * The house rules (docs/guiding-principles.md) as ESLint enforces them: each planted
 * violation fails, and the same code written the house's way passes. The whole tree is
 * linted by `npm run lint`, part of `npm test`.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages ESLint gives for this code, as if it were the file at this path. */
async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("house rules", () => {
  it("keeps the database out of routes: no Kysely, no driver, no database module, no query written in place", async () => {
    const route = "app/routes/planted.tsx";
    expect(await problems(route, `import { sql } from "kysely";\nexport const q = sql\`select 1\`;\n`)).toEqual([expect.stringMatching(/no-restricted-imports.*'kysely'.*use case/)]);
    expect(await problems(route, `import type { Kysely } from "kysely";\nexport type K = Kysely<never>;\n`)).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await problems(route, `import Database from "better-sqlite3";\nexport const d = Database;\n`)).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await problems(route, `import pg from "pg";\nexport const p = pg;\n`)).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await problems(route, `import { openDatabase } from "#db/client.ts";\nexport const o = openDatabase;\n`)).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await problems(route, `import { openDatabase } from "../../db/client.ts";\nexport const o = openDatabase;\n`)).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    for (const call of ["selectFrom", "insertInto", "updateTable", "deleteFrom", "transaction"]) {
      const planted = `import { getDb } from "#app/lib/db.server.ts";\nexport async function loader() {\n  return getDb().${call}("users");\n}\n`;
      expect(await problems(route, planted)).toEqual([expect.stringMatching(/no-restricted-syntax: Routes call a feature's use case/)]);
    }
    // The house's way: types from the schema, the database handed to a use case.
    const allowed = `import type { GlobalRole } from "#db/schema.ts";\nimport { getDb } from "#app/lib/db.server.ts";\nimport { search } from "#app/features/search/search.server.ts";\nexport const roles: GlobalRole[] = [];\nexport const loader = () => search(getDb(), { id: "u", role: "member" }, "x");\n`;
    expect(await problems(route, allowed)).toEqual([]);
    // A feature writes its queries.
    expect(await problems("app/features/planted/planted.server.ts", `export const q = (db: any) => db.selectFrom("users");\n`)).toEqual([]);
  });

  it("reads the time only from the one clock", async () => {
    for (const file of ["app/features/planted/planted.server.ts", "app/routes/planted.tsx", "app/features/auth/planted.server.ts", "server/planted.ts"]) {
      expect(await problems(file, `export const at = Date.now();\n`)).toEqual([expect.stringMatching(/no-restricted-syntax: Read the time from the one clock/)]);
      expect(await problems(file, `export const at = new Date();\n`)).toEqual([expect.stringMatching(/no-restricted-syntax: Read the time from the one clock/)]);
      // A moment given is not a reading of the time.
      expect(await problems(file, `import { now } from "#app/lib/clock.ts";\nexport const at = new Date(now()).toISOString();\n`)).toEqual([]);
    }
    expect(await problems("app/lib/clock.ts", `export const real = () => Date.now();\n`)).toEqual([]);
    // Tests make unique names from the real time; that is not the app reading it.
    expect(await problems("app/features/planted/planted.server.test.ts", `export const tag = Date.now();\n`)).toEqual([]);
  });

  it("leaves role decisions to the policy in app/features/auth", async () => {
    const feature = "app/features/planted/planted.server.ts";
    const plantings = [
      `export const f = (actor: { role: string }) => actor.role === "admin";`,
      `export const f = (actor: { role: string }) => "moderator" !== actor.role;`,
      `export const f = (view: { membership: { role: string } | null }) => view.membership?.role === "leader";`,
      `export const f = (role: string) => role == "participant";`,
      `export const f = (row: { member_role: string }) => row.member_role === "leader";`,
      `export const f = (membershipRole: string) => membershipRole !== "product";`,
      `export const f = (actor: { role: string }) => ["moderator", "admin"].includes(actor.role);`,
      `export function f(actor: { role: string }) { switch (actor.role) { case "admin": return 1; default: return 0; } }`,
    ];
    for (const planted of plantings) {
      expect({ planted, problems: await problems(feature, `${planted}\n`) }).toEqual({ planted, problems: [expect.stringMatching(/no-restricted-syntax: Ask the policy/)] });
      expect({ planted, problems: await problems("app/routes/planted.tsx", `${planted}\n`) }).toEqual({ planted, problems: [expect.stringMatching(/no-restricted-syntax: Ask the policy/)] });
      // The policy itself decides by role.
      expect(await problems("app/features/auth/planted.ts", `${planted}\n`)).toEqual([]);
    }
    // Other comparisons that happen to say "moderator" are not role checks.
    expect(await problems(feature, `export const f = (post: { removed: string | null }) => post.removed === "moderator";\n`)).toEqual([]);
  });
});

import { sql, type Kysely } from "kysely";
import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "./client.ts";
import type { Database, GlobalRole } from "./schema.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";

export interface DemoAccount {
  email: string;
  displayName: string;
  role: GlobalRole;
  what: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: "ada@cohort.example", displayName: "Ada Lovelace", role: "admin", what: "admin: everything, plus users and roles" },
  { email: "maya@cohort.example", displayName: "Maya Chen", role: "moderator", what: "moderator: runs communities and triage" },
  { email: "priya@cohort.example", displayName: "Priya Raman", role: "product", what: "product reviewer: reviews suggestions" },
  { email: "sam@customer.example", displayName: "Sam Okafor", role: "member", what: "participant" },
  { email: "lena@customer.example", displayName: "Lena Fischer", role: "member", what: "participant" },
  { email: "diego@customer.example", displayName: "Diego Alvarez", role: "member", what: "participant" },
  { email: "june@customer.example", displayName: "June Park", role: "member", what: "participant" },
];

/** A database with no accounts is new: the only kind that is ever seeded automatically. */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
  return Number(row.count) === 0;
}

/**
 * Whether start-up seeds the demo: only into an empty database, and on a production
 * deployment (NODE_ENV=production set by the operator) only when SEED_DEMO=1 asks for it.
 */
export function shouldSeedDemo(options: { empty: boolean; deployedInProduction: boolean; seedDemo?: "0" | "1" }): boolean {
  if (!options.empty || options.seedDemo === "0") return false;
  return options.seedDemo === "1" || !options.deployedInProduction;
}

/** A password that is easy to type from a terminal: four groups of five letters and digits. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

/** Fill an empty database with the demo: its accounts, all sharing one password. */
export async function seedDemo(db: Kysely<Database>, password: string): Promise<DemoAccount[]> {
  for (const account of DEMO_ACCOUNTS) {
    await createAccount(db, { email: account.email, displayName: account.displayName, password, role: account.role });
  }
  return DEMO_ACCOUNTS;
}

/** Delete every row of every table (not the migrations' own), for `npm run db:seed`. */
export async function wipe(handle: DatabaseHandle): Promise<void> {
  const tables = (await handle.db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith("kysely_"));
  if (tables.length === 0) return;
  if (handle.engine === "postgres") {
    await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} cascade`.execute(handle.db);
  } else {
    await sql`pragma foreign_keys = off`.execute(handle.db);
    for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(handle.db);
    await sql`pragma foreign_keys = on`.execute(handle.db);
  }
}

export function describeDemo(accounts: DemoAccount[], password: string, url: string): string {
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = [
    "",
    "  Demo data is ready. Sign in at " + url + " with any of these accounts.",
    `  They all share the password:  ${password}`,
    "  (shown only this once; `npm run db:seed` starts the demo afresh with a new one)",
    "",
    ...accounts.map((a) => `    ${a.email.padEnd(width)}  ${a.displayName} (${a.what})`),
    "",
  ];
  return lines.join("\n");
}

/**
 * Create an account from the command line, typically a staff account:
 *   npm run user:create -- --email a@b.c --name "Ada" --role admin [--password ...]
 * Prints a generated password unless one is given.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { provisionAccount } from "#app/features/auth/accounts.server.ts";
import { DisplayNameSchema, EmailSchema, NewPasswordSchema, RoleSchema } from "#app/features/auth/schemas.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { openDatabase } from "#db/client.ts";
import { migrateToLatest } from "#db/migrate.ts";

const USAGE = 'Usage: npm run user:create -- --email a@b.c --name "Ada" [--role member|moderator|product|admin] [--password secret]';

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "member" },
    password: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const parsed = z
  .object({ email: EmailSchema, name: DisplayNameSchema, role: RoleSchema, password: NewPasswordSchema.optional() })
  .safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  console.error(USAGE);
  process.exit(2);
}

const { email, name, role } = parsed.data;
const handle = openDatabase();
try {
  await migrateToLatest(handle.db, handle.schema);
  const { password } = await provisionAccount(handle.db, { email, displayName: name, role, password: parsed.data.password }, { userId: null, via: "command line" });
  console.log(`Created ${role} ${name} <${email}> in ${handle.location}.`);
  if (password) console.log(`Password: ${password}\n(shown only now; they can change it under "Your account")`);
} catch (error) {
  if (error instanceof Refusal) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await handle.close();
}

import type { Kysely } from "kysely";
import type { Database, GlobalRole } from "#db/schema.ts";
import { MINUTE, HOUR, now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal, describeWait } from "#app/lib/refusal.ts";
import { generatePassword, hashPassword, verifyAgainstNothing, verifyPassword } from "./password.server.ts";
import { clearLimit, refundAttempt, reserveAttempt, type Limit } from "./rate-limit.server.ts";
import { revokeOpenLinks } from "./password-reset.server.ts";
import { recordSecurityEvent } from "./security-events.server.ts";
import { createSession, endUserSessions } from "./session.server.ts";
import { normaliseEmail } from "./schemas.ts";
import { STAFF_ROLES } from "./policy.ts";

export interface ClientInfo {
  clientAddress: string;
}

/** The one answer for an unknown email and a wrong password. */
export const BAD_CREDENTIALS = "That email and password do not match an account.";

/**
 * The answer for a suspended account, given only to someone who knew its password: anyone
 * else gets BAD_CREDENTIALS, so the page tells a stranger nothing about the account.
 */
export const SUSPENDED_MESSAGE = "This account is suspended. Contact the person who invited you, or your Cohort administrator, to ask why.";

/**
 * Sign-in limits, counting failed attempts only. The pair limit stops guessing at one
 * account from one place; the address limit stops spraying many accounts; the account
 * limit slows a distributed attack while staying high enough that the real owner, signing
 * in from elsewhere, is rarely affected. Windows end on their own: no permanent lockout.
 */
export function signInLimits(email: string, clientAddress: string): Limit[] {
  return [
    { bucket: `sign-in:pair:${email}|${clientAddress}`, max: 5, windowMs: 15 * MINUTE },
    { bucket: `sign-in:address:${clientAddress}`, max: 30, windowMs: 15 * MINUTE },
    { bucket: `sign-in:account:${email}`, max: 100, windowMs: HOUR },
  ];
}

/** Staff accounts (moderators, product reviewers, admins), for choosing an owner. */
export function listStaff(db: Kysely<Database>) {
  return db.selectFrom("users").select(["id", "display_name"]).where("role", "in", STAFF_ROLES).orderBy("display_name").execute();
}

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

/** Create an account; refuses an email that already has one. */
export async function createAccount(
  db: Kysely<Database>,
  input: { email: string; displayName: string; password: string; role?: GlobalRole },
): Promise<{ userId: string }> {
  // Hash before touching the database: never hold a transaction or lock over argon2.
  const passwordHash = await hashPassword(input.password);
  return insertAccount(db, { ...input, passwordHash });
}

/**
 * Insert an account whose password is already hashed, so a caller can do it inside a
 * transaction with other writes (joining through an invitation); refuses an email that
 * already has one.
 */
export async function insertAccount(
  db: Kysely<Database>,
  input: { email: string; displayName: string; passwordHash: string; role?: GlobalRole },
): Promise<{ userId: string }> {
  const email = normaliseEmail(input.email);
  const at = now();
  const userId = newId();
  const inserted = await db
    .insertInto("users")
    .values({
      id: userId,
      email,
      display_name: input.displayName.trim(),
      password_hash: input.passwordHash,
      role: input.role ?? "member",
      created_at: at,
      updated_at: at,
    })
    .onConflict((conflict) => conflict.column("email").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new Refusal(409, "An account with this email already exists. Sign in instead.");
  }
  return { userId };
}

/**
 * Create an account for someone else (a staff account, usually): from the command line
 * (`npm run user:create`) or an admin's people page. Without a password one is generated
 * and returned, to be shown once.
 */
export async function provisionAccount(
  db: Kysely<Database>,
  input: { email: string; displayName: string; role: GlobalRole; password?: string },
  by: { userId: string | null; via: string },
): Promise<{ userId: string; password: string | null }> {
  const password = input.password ?? generatePassword();
  const { userId } = await createAccount(db, { email: input.email, displayName: input.displayName, password, role: input.role });
  await recordSecurityEvent(db, { kind: "user.created", userId: by.userId, subject: userId, detail: `role=${input.role} via ${by.via}` });
  return { userId, password: input.password ? null : password };
}

/** Sign up and start a session; returns the session token for the cookie. */
export async function signUp(
  db: Kysely<Database>,
  input: { email: string; displayName: string; password: string },
  client: ClientInfo,
): Promise<{ userId: string; token: string }> {
  const { userId } = await createAccount(db, input);
  const token = await createSession(db, userId);
  await recordSecurityEvent(db, { kind: "sign-up", userId, subject: normaliseEmail(input.email), ...client });
  return { userId, token };
}

/**
 * Check a password and start a fresh session. Throttled per account, per address and per
 * pair: the attempt is counted before the password is checked, so parallel guesses cannot
 * get more checks than the limit; a success gives the attempt back and clears the pair.
 * An unknown email and a wrong password get the same message after the same work.
 */
export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<{ userId: string; token: string }> {
  const email = normaliseEmail(input.email);
  const limits = signInLimits(email, client.clientAddress);
  const blocked = await reserveAttempt(db, limits);
  if (blocked.blocked) {
    await recordSecurityEvent(db, { kind: "sign-in.throttled", subject: email, ...client });
    const wait = describeWait(blocked.retryAfterMs);
    throw new Refusal(429, `Too many sign-in attempts. Try again in ${wait}.`, {
      retryAfterSeconds: Math.ceil(blocked.retryAfterMs / 1000),
    });
  }

  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash", "suspended_at"])
    .where("email", "=", email)
    .executeTakeFirst();
  const valid = user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstNothing(input.password);
  if (!user || !valid) {
    await recordSecurityEvent(db, {
      kind: "sign-in.failure",
      userId: user?.id ?? null,
      subject: email,
      detail: user ? "wrong password" : "unknown email",
      ...client,
    });
    throw new Refusal(400, BAD_CREDENTIALS);
  }

  if (user.suspended_at != null) {
    // The right password, so the account may be told why; the attempt still counts, and no session starts.
    await recordSecurityEvent(db, { kind: "sign-in.suspended", userId: user.id, subject: email, ...client });
    throw new Refusal(403, SUSPENDED_MESSAGE);
  }

  await clearLimit(db, limits[0]!.bucket);
  await refundAttempt(db, limits.slice(1));
  const token = await createSession(db, user.id);
  await recordSecurityEvent(db, { kind: "sign-in.success", userId: user.id, subject: email, ...client });
  return { userId: user.id, token };
}

/** Change a user's global role; their sessions end so the new role applies at once. */
export async function changeRole(
  db: Kysely<Database>,
  input: { userId: string; role: GlobalRole; changedBy: string | null },
): Promise<void> {
  const updated = await db
    .updateTable("users")
    .set({ role: input.role, updated_at: now() })
    .where("id", "=", input.userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new Refusal(404, "There is no such user.");
  await endUserSessions(db, input.userId);
  await recordSecurityEvent(db, {
    kind: "role.changed",
    userId: input.changedBy,
    subject: input.userId,
    detail: `role=${input.role}`,
  });
}

/**
 * Change a password after checking the current one. Every session of that user ends (a
 * stolen session dies with the old password) and a fresh one is returned for this device.
 */
export async function changePassword(
  db: Kysely<Database>,
  input: { userId: string; currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<{ token: string }> {
  const user = await db.selectFrom("users").select(["password_hash"]).where("id", "=", input.userId).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new Refusal(400, "Your current password is not right.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash, updated_at: at }).where("id", "=", input.userId).execute();
    // A reset link asked for before the change must not undo it.
    await revokeOpenLinks(trx, input.userId, at);
  });
  await endUserSessions(db, input.userId);
  await recordSecurityEvent(db, { kind: "password.changed", userId: input.userId, ...client });
  return { token: await createSession(db, input.userId) };
}

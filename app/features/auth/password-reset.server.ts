/**
 * Password reset by email. A link carries a random token (160 bits, app/lib/ids.ts) of
 * which only the SHA-256 is stored; it works once, for an hour, and a newer link (or a
 * reset) makes older ones void. Opening the link never consumes it (mail scanners
 * prefetch links): only the POST that sets the new password does, with one conditional
 * UPDATE. A wrong, used, expired or superseded token always gets the same answer, and
 * asking for a link answers the same whether or not the address has an account.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "#db/schema.ts";
import { deliverNow, queueEmail } from "#app/features/email/outbox.server.ts";
import { HOUR, now } from "#app/lib/clock.ts";
import { hashToken, newId, newToken } from "#app/lib/ids.ts";
import { publicOrigin } from "#app/lib/origin.server.ts";
import { Refusal, describeWait } from "#app/lib/refusal.ts";
import type { ClientInfo } from "./accounts.server.ts";
import { hashPassword } from "./password.server.ts";
import { reserveAttempt, type Limit } from "./rate-limit.server.ts";
import { recordSecurityEvent } from "./security-events.server.ts";
import { createSession, endUserSessions } from "./session.server.ts";
import { normaliseEmail } from "./schemas.ts";

export const RESET_LINK_LIFETIME_MS = HOUR;

/** The one answer to a request, whether or not the address has an account. */
export const RESET_REQUESTED =
  "If an account exists for that address, we have sent a link to set a new password. It works for one hour; check your spam folder if it does not arrive in a few minutes.";

/** The one answer for a wrong, used, expired or superseded link. */
export const INVALID_RESET_LINK =
  "This link to set a new password is not valid. It may have expired, been used already or been replaced by a newer one. Ask for a new link.";

/**
 * Requests are counted whether or not the address has an account, so the limits reveal
 * nothing. The email limit stops anyone filling a person's inbox; the address limit stops
 * one client sweeping through many addresses. Windows end on their own.
 */
export function passwordResetLimits(email: string, clientAddress: string): Limit[] {
  return [
    { bucket: `password-reset:address:${clientAddress}`, max: 20, windowMs: HOUR },
    { bucket: `password-reset:email:${email}`, max: 5, windowMs: HOUR },
  ];
}

type Db = Kysely<Database> | Transaction<Database>;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function resetEmail(input: { to: string; displayName: string; link: string; sentByStaff: boolean }) {
  const why = input.sentByStaff
    ? "The staff who run Cohort sent you this link to set a new password for your account."
    : "Someone, hopefully you, asked to set a new password for your Cohort account.";
  const text = [
    `Hello ${input.displayName},`,
    "",
    why,
    "",
    `Set a new password: ${input.link}`,
    "",
    "The link works once, for one hour. Setting a new password signs you out on every other device.",
    "If you did not ask for this, ignore this email: your password stays as it is.",
  ].join("\n");
  const html = `<p>Hello ${escapeHtml(input.displayName)},</p>
<p>${escapeHtml(why)}</p>
<p><a href="${escapeHtml(input.link)}">Set a new password</a></p>
<p>The link works once, for one hour. Setting a new password signs you out on every other device.</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>`;
  return { to: input.to, subject: "Set a new password for Cohort", text, html };
}

/** Void a user's links that could still be used (a newer one is coming, or the password changed). */
/** Void every link of this user not used yet: a newer link, a reset, or a password changed on the account page. */
export async function revokeOpenLinks(db: Db, userId: string, at: number): Promise<void> {
  await db
    .updateTable("password_resets")
    .set({ revoked_at: at })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
}

/** Write a new link (voiding older ones) and its email, in one transaction; returns the outbox id. */
async function issueLink(
  db: Kysely<Database>,
  user: { id: string; email: string; display_name: string },
  options: { siteOrigin: string; sentBy: string | null; byStaff: boolean },
): Promise<string> {
  const token = newToken();
  const at = now();
  return db.transaction().execute(async (trx) => {
    await revokeOpenLinks(trx, user.id, at);
    await trx
      .insertInto("password_resets")
      .values({
        id: newId(),
        user_id: user.id,
        token_hash: hashToken(token),
        sent_by: options.sentBy,
        created_at: at,
        expires_at: at + RESET_LINK_LIFETIME_MS,
        used_at: null,
        revoked_at: null,
      })
      .execute();
    return queueEmail(
      trx,
      resetEmail({
        to: user.email,
        displayName: user.display_name,
        link: `${options.siteOrigin}/reset-password/${token}`,
        sentByStaff: options.byStaff,
      }),
    );
  });
}

/** Accounts a link may be sent to: not erased, and not suspended (a suspension is lifted by an admin, not by a new password). */
function findAccount(db: Kysely<Database>) {
  return db.selectFrom("users").select(["id", "email", "display_name"]).where("erased_at", "is", null).where("suspended_at", "is", null);
}

/**
 * "Forgot password?": send a link if the address has an account. The answer is the same
 * either way; the email is delivered in the background so the time SMTP takes does not
 * tell the two apart. Throttled per client address and per email (429 with Retry-After).
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  input: { email: string },
  client: ClientInfo,
  options: { siteOrigin?: string } = {},
): Promise<{ message: string }> {
  const email = normaliseEmail(input.email);
  // Counted before anything else, atomically, so concurrent requests cannot slip past.
  const state = await reserveAttempt(db, passwordResetLimits(email, client.clientAddress));
  if (state.blocked) {
    await recordSecurityEvent(db, { kind: "password-reset.throttled", subject: email, ...client });
    throw new Refusal(429, `Too many requests for a new password. Try again in ${describeWait(state.retryAfterMs)}.`, {
      retryAfterSeconds: Math.ceil(state.retryAfterMs / 1000),
    });
  }
  const user = await findAccount(db).where("email", "=", email).executeTakeFirst();
  await recordSecurityEvent(db, {
    kind: "password-reset.requested",
    userId: user?.id ?? null,
    subject: email,
    detail: user ? null : "unknown email",
    ...client,
  });
  if (user) {
    const outboxId = await issueLink(db, user, { siteOrigin: options.siteOrigin ?? publicOrigin(), sentBy: null, byStaff: false });
    // Not awaited: a failure is recorded on the message and retried by the minute job.
    void deliverNow(db, [outboxId]).catch(() => undefined);
  }
  return { message: RESET_REQUESTED };
}

/**
 * Staff send a person a link to set a new password (from the people page). The caller
 * checks the policy; this voids the person's older links and delivers the email now.
 */
export async function sendPasswordResetFor(
  db: Kysely<Database>,
  userId: string,
  options: { sentBy?: string | null; siteOrigin?: string } = {},
): Promise<{ email: string; outboxId: string }> {
  const user = await findAccount(db).where("id", "=", userId).executeTakeFirst();
  if (!user) throw new Refusal(404, "There is no such user.");
  const sentBy = options.sentBy ?? null;
  const outboxId = await issueLink(db, user, { siteOrigin: options.siteOrigin ?? publicOrigin(), sentBy, byStaff: true });
  await recordSecurityEvent(db, { kind: "password-reset.sent", userId: sentBy, subject: user.id });
  await deliverNow(db, [outboxId]);
  return { email: user.email, outboxId };
}

/** Whether a link can be used now, without using it: what the reset page shows on GET. */
export async function isResetLinkUsable(db: Kysely<Database>, token: string): Promise<boolean> {
  const row = await db
    .selectFrom("password_resets")
    .innerJoin("users", "users.id", "password_resets.user_id")
    .select("password_resets.id")
    .where("password_resets.token_hash", "=", hashToken(token))
    .where("password_resets.used_at", "is", null)
    .where("password_resets.revoked_at", "is", null)
    .where("password_resets.expires_at", ">", now())
    .where("users.erased_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Set a new password with a link. The token is consumed by one conditional UPDATE, so of
 * any number of concurrent attempts exactly one succeeds; then every session of the user
 * ends and a fresh one is returned for this device.
 */
export async function resetPassword(
  db: Kysely<Database>,
  input: { token: string; password: string },
  client: ClientInfo,
): Promise<{ userId: string; token: string }> {
  const refuse = async (): Promise<never> => {
    await recordSecurityEvent(db, { kind: "password-reset.refused", ...client });
    throw new Refusal(404, INVALID_RESET_LINK);
  };
  // A cheap look first, so a wrong token costs no argon2 work; the UPDATE below decides.
  if (!(await isResetLinkUsable(db, input.token))) return refuse();
  // Hash before the transaction: never hold a lock over argon2.
  const passwordHash = await hashPassword(input.password);
  const at = now();
  const userId = await db.transaction().execute(async (trx) => {
    const consumed = await trx
      .updateTable("password_resets")
      .set({ used_at: at })
      .where("token_hash", "=", hashToken(input.token))
      .where("used_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", at)
      .where("user_id", "in", (eb) => eb.selectFrom("users").select("id").where("erased_at", "is", null))
      .returning("user_id")
      .executeTakeFirst();
    if (!consumed) return null;
    await trx.updateTable("users").set({ password_hash: passwordHash, updated_at: at }).where("id", "=", consumed.user_id).execute();
    await revokeOpenLinks(trx, consumed.user_id, at);
    return consumed.user_id;
  });
  if (userId === null) return refuse();
  await endUserSessions(db, userId);
  const sessionToken = await createSession(db, userId);
  await recordSecurityEvent(db, { kind: "password.reset", userId, ...client });
  return { userId, token: sessionToken };
}

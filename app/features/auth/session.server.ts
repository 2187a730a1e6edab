/**
 * Sessions: the only module that imports lucia (docs/decisions/001-sessions.md).
 *
 * Lucia v3 creates session tokens (200 random bits) and decides when to slide the idle
 * expiry; the adapter below keeps only the SHA-256 of each token in the database, applies
 * the absolute lifetime, and reads the time from the one clock.
 */
import { Lucia, TimeSpan } from "lucia";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type { Kysely } from "kysely";
import type { Database, GlobalRole } from "#db/schema.ts";
import { aheadOfRealTime, DAY, MINUTE, now } from "#app/lib/clock.ts";
import { hashToken } from "#app/lib/ids.ts";
import { SESSION_COOKIE } from "#app/lib/security.ts";

/** A session ends after this long without use... */
export const IDLE_TIMEOUT_MS = 14 * DAY;
/** ...and in any case this long after sign-in. */
export const ABSOLUTE_LIFETIME_MS = 30 * DAY;
/** "Last seen" is written when a session is used, but at most this often per account. */
export const LAST_SEEN_INTERVAL_MS = 5 * MINUTE;

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: GlobalRole;
}

declare module "lucia" {
  interface Register {
    Lucia: Lucia<Record<never, never>, { email: string; displayName: string; role: GlobalRole }>;
    DatabaseUserAttributes: { email: string; display_name: string; role: GlobalRole };
    DatabaseSessionAttributes: { created_at: number };
  }
}

// Lucia judges expiry by the real time, Cohort by the one clock. The adapter converts
// between the two so that a test that sets the clock sees sessions expire and renew.
const toLuciaDate = (clockMs: number) => new Date(clockMs - aheadOfRealTime());
const fromLuciaDate = (date: Date) => date.getTime() + aheadOfRealTime();

function kyselyAdapter(db: Kysely<Database>): Adapter {
  const deleteStale = (at: number) =>
    db
      .deleteFrom("sessions")
      .where((eb) => eb.or([eb("expires_at", "<=", at), eb("created_at", "<=", at - ABSOLUTE_LIFETIME_MS)]));

  return {
    async getSessionAndUser(token): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const id = hashToken(token);
      const row = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select([
          "sessions.user_id",
          "sessions.expires_at",
          "sessions.created_at",
          "users.email",
          "users.display_name",
          "users.role",
          "users.suspended_at",
          "users.last_seen_at",
        ])
        .where("sessions.id", "=", id)
        .executeTakeFirst();
      if (!row) return [null, null];
      const at = now();
      // A suspended account's sessions end when it is suspended; one left over by a race
      // still opens nothing.
      if (row.expires_at <= at || row.created_at + ABSOLUTE_LIFETIME_MS <= at || row.suspended_at != null) {
        await db.deleteFrom("sessions").where("id", "=", id).execute();
        return [null, null];
      }
      if (row.last_seen_at == null || row.last_seen_at <= at - LAST_SEEN_INTERVAL_MS) await markSeen(db, row.user_id, at);
      return [
        {
          id: token,
          userId: row.user_id,
          expiresAt: toLuciaDate(row.expires_at),
          attributes: { created_at: row.created_at },
        },
        { id: row.user_id, attributes: { email: row.email, display_name: row.display_name, role: row.role } },
      ];
    },
    async getUserSessions(userId) {
      // Only hashes are stored, so these ids cannot be used as tokens; listing only.
      const rows = await db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        expiresAt: toLuciaDate(row.expires_at),
        attributes: { created_at: row.created_at },
      }));
    },
    async setSession(session) {
      const at = now();
      await db
        .insertInto("sessions")
        .values({ id: hashToken(session.id), user_id: session.userId, expires_at: at + IDLE_TIMEOUT_MS, created_at: at })
        .execute();
    },
    async updateSessionExpiration(token, expiresAt) {
      await db
        .updateTable("sessions")
        .set({ expires_at: fromLuciaDate(expiresAt) })
        .where("id", "=", hashToken(token))
        .execute();
    },
    async deleteSession(token) {
      await db.deleteFrom("sessions").where("id", "=", hashToken(token)).execute();
    },
    async deleteUserSessions(userId) {
      await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
    },
    async deleteExpiredSessions() {
      await deleteStale(now()).execute();
    },
  };
}

/**
 * Record that an account was seen now, unless another request (another process, even)
 * already did so within the interval: the condition makes it one write per interval
 * however many requests arrive together.
 */
async function markSeen(db: Kysely<Database>, userId: string, at: number): Promise<void> {
  await db
    .updateTable("users")
    .set({ last_seen_at: at })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("last_seen_at", "is", null), eb("last_seen_at", "<=", at - LAST_SEEN_INTERVAL_MS)]))
    .execute();
}

const instances = new WeakMap<Kysely<Database>, Lucia>();

function lucia(db: Kysely<Database>): Lucia {
  let instance = instances.get(db);
  if (!instance) {
    instance = new Lucia(kyselyAdapter(db), {
      sessionExpiresIn: new TimeSpan(IDLE_TIMEOUT_MS, "ms"),
      sessionCookie: { name: SESSION_COOKIE, attributes: { sameSite: "lax" } },
      getUserAttributes: (attributes) => ({
        email: attributes.email,
        displayName: attributes.display_name,
        role: attributes.role,
      }),
    });
    instances.set(db, instance);
  }
  return instance;
}

/** Start a session for a user; returns the token to put in the cookie. */
export async function createSession(db: Kysely<Database>, userId: string): Promise<string> {
  const session = await lucia(db).createSession(userId, { created_at: now() });
  return session.id;
}

/** The signed-in user for a token, sliding the idle expiry; null when absent or ended. */
export async function validateSession(db: Kysely<Database>, token: string): Promise<SessionUser | null> {
  const { user } = await lucia(db).validateSession(token);
  if (!user) return null;
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await lucia(db).invalidateSession(token);
}

/** End every session of a user: on password change, role change and account removal. */
export async function endUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await lucia(db).invalidateUserSessions(userId);
}

export async function deleteExpiredSessions(db: Kysely<Database>): Promise<void> {
  await lucia(db).deleteExpiredSessions();
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join("=")) || null;
  }
  return null;
}

/**
 * The Set-Cookie value for a new session. It lives as long as the absolute lifetime, so
 * sliding the idle expiry never needs a new cookie; Secure whenever the site is served
 * over HTTPS.
 */
export function sessionCookie(db: Kysely<Database>, token: string, request: Request): string {
  const cookie = lucia(db).createSessionCookie(token);
  cookie.attributes.maxAge = Math.floor(ABSOLUTE_LIFETIME_MS / 1000);
  cookie.attributes.secure = new URL(request.url).protocol === "https:";
  return cookie.serialize();
}

export function blankSessionCookie(db: Kysely<Database>, request: Request): string {
  const cookie = lucia(db).createBlankSessionCookie();
  cookie.attributes.secure = new URL(request.url).protocol === "https:";
  return cookie.serialize();
}

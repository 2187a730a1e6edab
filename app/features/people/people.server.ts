/**
 * People administration: admins list and search accounts, change global roles, suspend
 * and reactivate, and create accounts. Every change is a security event and an entry in
 * the audit log of staff actions.
 */
import { sql, type Kysely } from "kysely";
import type { Database, GlobalRole } from "#db/schema.ts";
import { changeRole, provisionAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { recordSecurityEvent } from "#app/features/auth/security-events.server.ts";
import { endUserSessions } from "#app/features/auth/session.server.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { named } from "#app/lib/named-text.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { ROLE_NAMES, statusOf } from "./labels.ts";

type Db = Kysely<Database>;

export const PEOPLE_PAGE_SIZE = 50;
/** Community names shown per person in the list; the count says how many there are in all. */
export const COMMUNITIES_PER_ROW = 3;
/** Communities listed on one person's page. */
export const COMMUNITIES_ON_DETAIL = 100;

/** "a%b_c\" as a LIKE pattern that matches those characters literally, anywhere. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of accounts, newest first, optionally those whose name or email contains the
 * search (any case). Two queries whatever the page holds: the accounts with their
 * community counts, then the first few community names of each.
 */
export async function listPeople(db: Db, actor: Actor, options: { search?: string; after?: Cursor; limit?: number } = {}) {
  assertAllowed(actor, "admin.manage");
  const limit = options.limit ?? PEOPLE_PAGE_SIZE;
  let query = db
    .selectFrom("users")
    .select((eb) => [
      "users.id",
      "users.email",
      "users.display_name",
      "users.role",
      "users.created_at",
      "users.last_seen_at",
      "users.suspended_at",
      "users.erased_at",
      eb.selectFrom("memberships").select((c) => c.fn.countAll<number>().as("n")).whereRef("memberships.user_id", "=", "users.id").as("community_count"),
    ])
    .orderBy("users.created_at", "desc")
    .orderBy("users.id", "desc")
    .limit(limit + 1);
  const search = options.search?.trim();
  if (search) {
    // lower() on both sides, so both engines fold case the same way (PostgreSQL's LIKE does not).
    const pattern = containsPattern(search);
    query = query.where(sql<boolean>`(lower(users.display_name) like lower(${pattern}) escape '\\' or lower(users.email) like lower(${pattern}) escape '\\')`);
  }
  if (options.after) query = query.where(pastCursor("users.created_at", "users.id", options.after, "<"));
  const rows = await query.execute();
  const page = rows.slice(0, limit);

  const ids = page.map((row) => row.id);
  const names = ids.length
    ? await db
        .selectFrom(
          db
            .selectFrom("memberships")
            .innerJoin("communities", "communities.id", "memberships.community_id")
            .select([
              "memberships.user_id",
              "communities.name",
              "communities.slug",
              sql<number>`row_number() over (partition by memberships.user_id order by memberships.joined_at desc, communities.id)`.as("rank"),
            ])
            .where("memberships.user_id", "in", ids)
            .as("ranked"),
        )
        .select(["ranked.user_id", "ranked.name", "ranked.slug"])
        .where("ranked.rank", "<=", COMMUNITIES_PER_ROW)
        .orderBy("ranked.user_id")
        .orderBy("ranked.rank")
        .execute()
    : [];

  const last = page.at(-1);
  return {
    people: page.map((row) => ({
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      status: statusOf(row),
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at ?? null,
      communityCount: Number(row.community_count ?? 0),
      communities: names.filter((n) => n.user_id === row.id).map((n) => ({ name: n.name, slug: n.slug })),
    })),
    next: rows.length > limit && last ? { at: last.created_at, id: last.id } : null,
  };
}

/** One account for the admin: who, status, who suspended it, and its communities. */
export async function getPerson(db: Db, actor: Actor, userId: string) {
  assertAllowed(actor, "admin.manage");
  const person = await db
    .selectFrom("users")
    .leftJoin("users as suspender", "suspender.id", "users.suspended_by")
    .select([
      "users.id",
      "users.email",
      "users.display_name",
      "users.role",
      "users.created_at",
      "users.last_seen_at",
      "users.suspended_at",
      "users.erased_at",
      "suspender.display_name as suspended_by_name",
    ])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  if (!person) throw new Refusal(404, "There is no such person.");
  const [communities, total] = await Promise.all([
    db
      .selectFrom("memberships")
      .innerJoin("communities", "communities.id", "memberships.community_id")
      .select(["communities.name", "communities.slug", "memberships.role", "memberships.joined_at"])
      .where("memberships.user_id", "=", userId)
      .orderBy("memberships.joined_at", "desc")
      .orderBy("communities.id")
      .limit(COMMUNITIES_ON_DETAIL)
      .execute(),
    db.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow(),
  ]);
  return {
    id: person.id,
    email: person.email,
    displayName: person.display_name,
    role: person.role,
    status: statusOf(person),
    createdAt: person.created_at,
    lastSeenAt: person.last_seen_at ?? null,
    suspendedAt: person.suspended_at ?? null,
    suspendedBy: person.suspended_by_name ?? null,
    communities,
    communityCount: Number(total.n),
  };
}

/**
 * Inside a write transaction, make sure the actor is still an active admin, and hold their
 * row until the transaction ends. Two admins demoting or suspending each other at the same
 * moment are then serialised: the second finds it is no longer an admin and is refused, so
 * the last admin standing can never be removed (the policy already refuses changing oneself).
 */
async function lockActiveAdmin(trx: Db, actorId: string): Promise<void> {
  const held = await trx
    .updateTable("users")
    .set((eb) => ({ updated_at: eb.ref("updated_at") }))
    .where("id", "=", actorId)
    .where("role", "=", "admin")
    .where("suspended_at", "is", null)
    .where("erased_at", "is", null)
    .executeTakeFirst();
  if (Number(held.numUpdatedRows) === 0) throw new Refusal(403, "You are no longer an admin, so you cannot change people's accounts.");
}

async function targetOf(db: Db, userId: string) {
  const target = await db.selectFrom("users").select(["id", "display_name", "role", "suspended_at", "erased_at"]).where("id", "=", userId).executeTakeFirst();
  if (!target) throw new Refusal(404, "There is no such person.");
  if (target.erased_at != null) throw new Refusal(409, "This account was erased at its owner's request; it cannot be changed.");
  return target;
}

/**
 * Change someone's global role: their sessions end so the new role applies at their next
 * request (changeRole), and the change is audited.
 */
export async function changePersonRole(db: Db, actor: Actor, input: { userId: string; role: GlobalRole }): Promise<{ displayName: string }> {
  assertAllowed(actor, "user.change-role", { targetUserId: input.userId });
  const target = await targetOf(db, input.userId);
  if (target.role === input.role) throw new Refusal(409, `${target.display_name} is already ${article(ROLE_NAMES[input.role])}.`);
  await db.transaction().execute(async (trx) => {
    await lockActiveAdmin(trx, actor.id);
    await changeRole(trx, { userId: input.userId, role: input.role, changedBy: actor.id });
    await recordAudit(trx, actor.id, {
      action: "user.role",
      summary: named`Changed the role of ${{ user: target.id }} from ${ROLE_NAMES[target.role]} to ${ROLE_NAMES[input.role]}`,
      undo: null,
    });
  });
  return { displayName: target.display_name };
}

/**
 * Suspend an account: it is signed out everywhere at once and cannot sign in until an
 * admin reactivates it; what it wrote stays where it is.
 */
export async function suspendPerson(db: Db, actor: Actor, userId: string, client: { clientAddress?: string } = {}): Promise<{ displayName: string }> {
  assertAllowed(actor, "user.suspend", { targetUserId: userId });
  const target = await targetOf(db, userId);
  await db.transaction().execute(async (trx) => {
    await lockActiveAdmin(trx, actor.id);
    const claimed = await trx.updateTable("users").set({ suspended_at: now(), suspended_by: actor.id }).where("id", "=", userId).where("suspended_at", "is", null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new Refusal(409, `${target.display_name} is already suspended.`);
    await endUserSessions(trx, userId);
    await recordSecurityEvent(trx, { kind: "user.suspended", userId: actor.id, subject: userId, clientAddress: client.clientAddress });
    await recordAudit(trx, actor.id, { action: "user.suspend", summary: named`Suspended ${{ user: target.id }}`, undo: null });
  });
  return { displayName: target.display_name };
}

/** Let a suspended account sign in again (its old sessions stay ended). */
export async function reactivatePerson(db: Db, actor: Actor, userId: string, client: { clientAddress?: string } = {}): Promise<{ displayName: string }> {
  assertAllowed(actor, "user.suspend", { targetUserId: userId });
  const target = await targetOf(db, userId);
  await db.transaction().execute(async (trx) => {
    await lockActiveAdmin(trx, actor.id);
    const released = await trx.updateTable("users").set({ suspended_at: null, suspended_by: null }).where("id", "=", userId).where("suspended_at", "is not", null).executeTakeFirst();
    if (Number(released.numUpdatedRows) === 0) throw new Refusal(409, `${target.display_name} is not suspended.`);
    await recordSecurityEvent(trx, { kind: "user.reactivated", userId: actor.id, subject: userId, clientAddress: client.clientAddress });
    await recordAudit(trx, actor.id, { action: "user.reactivate", summary: named`Reactivated ${{ user: target.id }}`, undo: null });
  });
  return { displayName: target.display_name };
}

/**
 * Create an account from the people page, as `npm run user:create` does: the password is
 * generated and returned once, for the admin to pass on.
 */
export async function createPerson(db: Db, actor: Actor, input: { email: string; displayName: string; role: GlobalRole }) {
  assertAllowed(actor, "admin.manage");
  const { userId, password } = await provisionAccount(db, input, { userId: actor.id, via: "people page" });
  await recordAudit(db, actor.id, { action: "user.create", summary: named`Created the ${ROLE_NAMES[input.role].toLowerCase()} account of ${{ user: userId }}`, undo: null });
  return { userId, password: password!, displayName: input.displayName, email: input.email, role: input.role };
}

const article = (noun: string) => `${/^[AEIOU]/.test(noun) ? "an" : "a"} ${noun}`;

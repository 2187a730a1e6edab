import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "#app/features/audit/audit.server.ts";
import type { GlobalRole } from "#db/schema.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { BAD_CREDENTIALS, SUSPENDED_MESSAGE, createAccount, signIn } from "#app/features/auth/accounts.server.ts";
import { LAST_SEEN_INTERVAL_MS, createSession, validateSession } from "#app/features/auth/session.server.ts";
import { addMember } from "#app/features/communities/communities.server.ts";
import { MINUTE, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { hashToken, newId } from "#app/lib/ids.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { changePersonRole, createPerson, listPeople, reactivatePerson, suspendPerson } from "./people.server.ts";

const PASSWORD = "a long enough password";
let counter = 0;

describe.each(testEngines())("people administration on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  async function person(role: GlobalRole = "member", displayName = `Person ${++counter}`) {
    const email = `p${++counter}.${Date.now()}@example.com`;
    const { userId } = await createAccount(t.db, { email, displayName, password: PASSWORD, role });
    return { id: userId, role, email, displayName };
  }
  const client = () => ({ clientAddress: `198.51.100.${++counter % 250}` });
  // As the audit log reads them: people by their current names.
  const auditActions = async (actorId: string) => (await listAudit(t.db)).entries.filter((e) => e.actor_id === actorId).reverse().map((e) => ({ action: e.action, summary: e.summary }));

  it("suspends an account: its sessions end, a leftover session opens nothing, and sign-in is refused", async () => {
    const admin = await person("admin");
    const tom = await person("member", "Tom Suspended");
    const { token: first } = await signIn(t.db, { email: tom.email, password: PASSWORD }, client());
    const { token: second } = await signIn(t.db, { email: tom.email, password: PASSWORD }, client());

    await suspendPerson(t.db, admin, tom.id);

    expect(await validateSession(t.db, first)).toBeNull();
    expect(await validateSession(t.db, second)).toBeNull();
    expect(await t.db.selectFrom("sessions").select("id").where("user_id", "=", tom.id).execute()).toEqual([]);
    // A session written after the suspension (a race, a bug elsewhere) is refused and removed.
    const leftover = await createSession(t.db, tom.id);
    expect(await validateSession(t.db, leftover)).toBeNull();
    expect(await t.db.selectFrom("sessions").select("id").where("id", "=", hashToken(leftover)).executeTakeFirst()).toBeUndefined();

    // The right password learns it is suspended; a wrong one gets the usual answer.
    const right = await refusalOf(signIn(t.db, { email: tom.email, password: PASSWORD }, client()));
    expect(right.status).toBe(403);
    expect(right.message).toBe(SUSPENDED_MESSAGE);
    const wrong = await refusalOf(signIn(t.db, { email: tom.email, password: "not the password" }, client()));
    expect(wrong.message).toBe(BAD_CREDENTIALS);
    expect(await t.db.selectFrom("sessions").select("id").where("user_id", "=", tom.id).execute()).toEqual([]);

    const row = await t.db.selectFrom("users").select(["suspended_at", "suspended_by"]).where("id", "=", tom.id).executeTakeFirstOrThrow();
    expect(row.suspended_at).not.toBeNull();
    expect(row.suspended_by).toBe(admin.id);
    expect(await auditActions(admin.id)).toEqual([{ action: "user.suspend", summary: "Suspended Tom Suspended" }]);
    const events = await t.db.selectFrom("security_events").select("kind").where("subject", "in", [tom.id, tom.email]).execute();
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(["user.suspended", "sign-in.suspended", "sign-in.failure"]));

    // Suspending twice says so and writes nothing more.
    expect((await refusalOf(suspendPerson(t.db, admin, tom.id))).status).toBe(409);

    await reactivatePerson(t.db, admin, tom.id);
    await expect(signIn(t.db, { email: tom.email, password: PASSWORD }, client())).resolves.toHaveProperty("token");
    expect((await auditActions(admin.id)).map((a) => a.action)).toEqual(["user.suspend", "user.reactivate"]);
    expect((await refusalOf(reactivatePerson(t.db, admin, tom.id))).status).toBe(409);
  });

  it("still throttles guessing at a suspended account, and the right password does not get past the throttle", async () => {
    setClock(Date.UTC(2026, 11, 2, 12));
    const admin = await person("admin");
    const tom = await person();
    await suspendPerson(t.db, admin, tom.id);
    const attacker = { clientAddress: "192.0.2.77" };
    for (let i = 0; i < 5; i++) expect((await refusalOf(signIn(t.db, { email: tom.email, password: `guess ${i}` }, attacker))).message).toBe(BAD_CREDENTIALS);
    expect((await refusalOf(signIn(t.db, { email: tom.email, password: PASSWORD }, attacker))).status).toBe(429);
  });

  it("refuses suspending oneself, and anyone but an admin suspending", async () => {
    const admin = await person("admin");
    const moderator = await person("moderator");
    const member = await person();
    expect((await refusalOf(suspendPerson(t.db, admin, admin.id))).status).toBe(403);
    expect((await refusalOf(suspendPerson(t.db, moderator, member.id))).status).toBe(403);
    expect((await refusalOf(reactivatePerson(t.db, moderator, member.id))).status).toBe(403);
    const rows = await t.db.selectFrom("users").select("suspended_at").where("id", "in", [admin.id, member.id]).execute();
    expect(rows.every((r) => r.suspended_at === null)).toBe(true);
  });

  it("changes a role through the policy: the person's sessions end, the next sign-in has the new role, and it is audited", async () => {
    const admin = await person("admin");
    const bea = await person("member", "Bea Promoted");
    const { token } = await signIn(t.db, { email: bea.email, password: PASSWORD }, client());
    await changePersonRole(t.db, admin, { userId: bea.id, role: "moderator" });
    expect(await validateSession(t.db, token)).toBeNull();
    const { token: fresh } = await signIn(t.db, { email: bea.email, password: PASSWORD }, client());
    expect((await validateSession(t.db, fresh))?.role).toBe("moderator");
    expect(await auditActions(admin.id)).toEqual([{ action: "user.role", summary: "Changed the role of Bea Promoted from Member to Moderator" }]);
    expect((await refusalOf(changePersonRole(t.db, admin, { userId: bea.id, role: "moderator" }))).message).toBe("Bea Promoted is already a Moderator.");
  });

  it("refuses a role change of oneself and by anyone but an admin", async () => {
    const admin = await person("admin");
    const moderator = await person("moderator");
    const member = await person();
    expect((await refusalOf(changePersonRole(t.db, admin, { userId: admin.id, role: "member" }))).status).toBe(403);
    expect((await refusalOf(changePersonRole(t.db, moderator, { userId: member.id, role: "admin" }))).status).toBe(403);
    expect((await refusalOf(changePersonRole(t.db, member, { userId: member.id, role: "admin" }))).status).toBe(403);
    const roles = await t.db.selectFrom("users").select(["id", "role"]).where("id", "in", [admin.id, member.id]).execute();
    expect(Object.fromEntries(roles.map((r) => [r.id, r.role]))).toEqual({ [admin.id]: "admin", [member.id]: "member" });
  });

  it("never removes the last admin: two admins removing each other leave one standing", async () => {
    const ada = await person("admin");
    const bob = await person("admin");
    // Bob demotes Ada while Ada, still holding her admin page, suspends Bob and then demotes him.
    await changePersonRole(t.db, bob, { userId: ada.id, role: "member" });
    const suspend = await refusalOf(suspendPerson(t.db, ada, bob.id));
    expect(suspend.status).toBe(403);
    expect((await refusalOf(changePersonRole(t.db, ada, { userId: bob.id, role: "member" }))).status).toBe(403);
    const bobNow = await t.db.selectFrom("users").select(["role", "suspended_at"]).where("id", "=", bob.id).executeTakeFirstOrThrow();
    expect(bobNow).toEqual({ role: "admin", suspended_at: null });

    // The same when the moves happen at the same moment: at most one of them succeeds.
    const cy = await person("admin");
    const di = await person("admin");
    const results = await Promise.allSettled([changePersonRole(t.db, cy, { userId: di.id, role: "member" }), changePersonRole(t.db, di, { userId: cy.id, role: "member" })]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(1);
    const left = await t.db.selectFrom("users").select("role").where("id", "in", [cy.id, di.id]).where("role", "=", "admin").execute();
    expect(left.length).toBeGreaterThanOrEqual(1);

    // A suspended admin cannot act either.
    const eve = await person("admin");
    const fay = await person("admin");
    await suspendPerson(t.db, eve, fay.id);
    expect((await refusalOf(reactivatePerson(t.db, fay, fay.id))).status).toBe(403);
    expect((await refusalOf(suspendPerson(t.db, fay, eve.id))).status).toBe(403);
  });

  it("searches by name or email in any case and pages by key, with community counts and a few names", async () => {
    setClock(Date.UTC(2026, 11, 2, 9));
    const admin = await person("admin");
    const tag = `zq${Date.now().toString(36)}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      advanceClock(MINUTE);
      const { userId } = await createAccount(t.db, { email: `${tag}.${i}@Example.com`, displayName: `Searchable ${i}`, password: PASSWORD });
      made.push(userId);
    }
    advanceClock(MINUTE);
    const { userId: named } = await createAccount(t.db, { email: `named.${Date.now()}@example.com`, displayName: `Ölga ${tag.toUpperCase()} 100%`, password: PASSWORD });

    const byEmail = await listPeople(t.db, admin, { search: tag.toUpperCase() });
    expect(byEmail.people.map((p) => p.id)).toEqual([named, ...made.slice().reverse()]);
    const byName = await listPeople(t.db, admin, { search: `${tag} 100%` });
    expect(byName.people.map((p) => p.id)).toEqual([named]);
    // A wildcard typed into the box is a character, not "anything".
    expect((await listPeople(t.db, admin, { search: `${tag}%0` })).people).toEqual([]);

    // Paging two at a time visits each account once, newest first.
    const seen: string[] = [];
    let after: { at: number; id: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listPeople(t.db, admin, { search: tag, after, limit: 2 });
      seen.push(...page.people.map((p) => p.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([named, ...made.slice().reverse()]);

    // Communities: the count of all, the names of the latest three.
    const communities = [];
    for (let i = 0; i < 4; i++) {
      const id = newId();
      await t.db
        .insertInto("communities")
        .values({ id, slug: `${tag}-${i}`, name: `Community ${i}`, purpose_markdown: "", purpose_html: "", starts_at: 0, ends_at: 1, time_zone: "UTC", vote_budget: null, hide_vote_counts: 0, random_idea_order: 0, published_at: 0, archived_at: null, created_by: admin.id, created_at: 0, updated_at: 0 })
        .execute();
      advanceClock(MINUTE);
      await addMember(t.db, { communityId: id, userId: made[0]!, role: "participant", datesConfirmedAt: null });
      communities.push(id);
    }
    const withCommunities = await listPeople(t.db, admin, { search: tag });
    const first = withCommunities.people.find((p) => p.id === made[0])!;
    expect(first.communityCount).toBe(4);
    expect(first.communities.map((c) => c.name)).toEqual(["Community 3", "Community 2", "Community 1"]);
    expect(withCommunities.people.find((p) => p.id === named)!.communityCount).toBe(0);

    const moderator = await person("moderator");
    expect((await refusalOf(listPeople(t.db, moderator))).status).toBe(403);
  });

  it("records when a person was last seen, at most once per interval", async () => {
    const start = Date.UTC(2026, 11, 2, 10);
    setClock(start);
    const lou = await person();
    const token = await createSession(t.db, lou.id);
    const lastSeen = async () => (await t.db.selectFrom("users").select("last_seen_at").where("id", "=", lou.id).executeTakeFirstOrThrow()).last_seen_at;
    expect(await lastSeen()).toBeNull();

    await validateSession(t.db, token);
    expect(Number(await lastSeen())).toBe(start);
    advanceClock(LAST_SEEN_INTERVAL_MS - 1000);
    await validateSession(t.db, token);
    expect(Number(await lastSeen())).toBe(start);
    advanceClock(1000);
    await validateSession(t.db, token);
    expect(Number(await lastSeen())).toBe(start + LAST_SEEN_INTERVAL_MS);
  });

  it("creates an account with a generated password shown once, which signs in with the chosen role", async () => {
    const admin = await person("admin");
    const email = `new.${Date.now()}@example.com`;
    const created = await createPerson(t.db, admin, { email, displayName: "Nia New", role: "moderator" });
    expect(created.password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const { token } = await signIn(t.db, { email, password: created.password }, client());
    expect(await validateSession(t.db, token)).toMatchObject({ role: "moderator", displayName: "Nia New" });
    expect(await auditActions(admin.id)).toEqual([{ action: "user.create", summary: "Created the moderator account of Nia New" }]);
    expect((await refusalOf(createPerson(t.db, admin, { email, displayName: "Again", role: "member" }))).status).toBe(409);
    const moderator = await person("moderator");
    expect((await refusalOf(createPerson(t.db, moderator, { email: `x.${email}`, displayName: "No", role: "admin" }))).status).toBe(403);
  });
});

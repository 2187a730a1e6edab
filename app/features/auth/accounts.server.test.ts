import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { DAY, MINUTE, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { hashToken } from "#app/lib/ids.ts";
import { BAD_CREDENTIALS, changePassword, changeRole, createAccount, signIn, signUp } from "./accounts.server.ts";
import { endSession, validateSession } from "./session.server.ts";

const client = { clientAddress: "203.0.113.7" };
let counter = 0;
const uniqueEmail = () => `person${++counter}.${Date.now()}@example.com`;


describe.each(testEngines())("accounts and sessions on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("signs up with a normalised email, an argon2id hash and a session stored only as a hash", async () => {
    const email = uniqueEmail();
    const { userId, token } = await signUp(t.db, { email: `  ${email.toUpperCase()} `, displayName: " Ada ", password: "correct horse" }, client);

    const user = await t.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    expect(user.email).toBe(email);
    expect(user.display_name).toBe("Ada");
    expect(user.role).toBe("member");
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    expect(token.length).toBeGreaterThanOrEqual(32);
    const sessions = await t.db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.id).toBe(hashToken(token));
    expect(sessions[0]!.id).not.toContain(token);

    const sessionUser = await validateSession(t.db, token);
    expect(sessionUser).toMatchObject({ id: userId, email, displayName: "Ada", role: "member" });
  });

  it("refuses a second account for the same address in another case", async () => {
    const email = uniqueEmail();
    await createAccount(t.db, { email, displayName: "One", password: "password-one" });
    const refusal = await refusalOf(createAccount(t.db, { email: email.toUpperCase(), displayName: "Two", password: "password-two" }));
    expect(refusal.status).toBe(409);
    const count = await t.db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("email", "=", email).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("starts a fresh session at every sign-in", async () => {
    const email = uniqueEmail();
    const { token: first } = await signUp(t.db, { email, displayName: "Bo", password: "a long passphrase" }, client);
    const { token: second } = await signIn(t.db, { email, password: "a long passphrase" }, client);
    expect(second).not.toBe(first);
    expect(await validateSession(t.db, first)).not.toBeNull();
    expect(await validateSession(t.db, second)).not.toBeNull();
  });

  it("gives an unknown email and a wrong password the same answer", async () => {
    const email = uniqueEmail();
    await createAccount(t.db, { email, displayName: "Cy", password: "the right one" });
    const wrong = await refusalOf(signIn(t.db, { email, password: "the wrong one" }, { clientAddress: "198.51.100.1" }));
    const unknown = await refusalOf(signIn(t.db, { email: uniqueEmail(), password: "the wrong one" }, { clientAddress: "198.51.100.1" }));
    expect(wrong.message).toBe(BAD_CREDENTIALS);
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.status).toBe(wrong.status);
  });

  it("throttles guessing at one account from one address, but not the owner elsewhere, and forgets after the window", async () => {
    setClock(Date.UTC(2026, 10, 23, 12));
    const email = uniqueEmail();
    await createAccount(t.db, { email, displayName: "Di", password: "the right one" });
    const attacker = { clientAddress: "192.0.2.66" };
    for (let i = 0; i < 5; i++) {
      expect((await refusalOf(signIn(t.db, { email, password: `guess ${i}` }, attacker))).status).toBe(400);
    }
    // Even the right password is refused from the throttled address until the window ends.
    const throttled = await refusalOf(signIn(t.db, { email, password: "the right one" }, attacker));
    expect(throttled.status).toBe(429);
    expect(throttled.message).toMatch(/Too many sign-in attempts\. Try again in 15 minutes\./);
    expect(throttled.retryAfterSeconds).toBe(15 * 60);

    // The owner, from another address, still gets in.
    await expect(signIn(t.db, { email, password: "the right one" }, { clientAddress: "192.0.2.10" })).resolves.toHaveProperty("token");

    advanceClock(15 * MINUTE + 1000);
    await expect(signIn(t.db, { email, password: "the right one" }, attacker)).resolves.toHaveProperty("token");

    const events = await t.db.selectFrom("security_events").select("kind").where("subject", "=", email).execute();
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === "sign-in.failure")).toHaveLength(5);
    expect(kinds).toContain("sign-in.throttled");
    expect(kinds.filter((k) => k === "sign-in.success")).toHaveLength(2);
  });

  it("checks no more than 5 passwords when 60 wrong guesses for one account arrive at once from one address", async () => {
    setClock(Date.UTC(2026, 10, 25, 12));
    const email = uniqueEmail();
    await createAccount(t.db, { email, displayName: "Race", password: "the right one" });
    const attacker = { clientAddress: "192.0.2.77" };
    const refusals = await Promise.all(Array.from({ length: 60 }, (_, i) => refusalOf(signIn(t.db, { email, password: `guess ${i}` }, attacker))));
    // Every checked password leaves one sign-in.failure event; a refused attempt checks nothing.
    const events = await t.db.selectFrom("security_events").select("kind").where("subject", "=", email).execute();
    const verified = events.filter((e) => e.kind === "sign-in.failure").length;
    expect(verified).toBeLessThanOrEqual(5);
    expect(verified).toBeGreaterThan(0);
    expect(refusals.filter((r) => r.status === 400)).toHaveLength(verified);
    expect(refusals.filter((r) => r.status === 429)).toHaveLength(60 - verified);
    // The right password is refused too until the window ends: the guesses bought nothing.
    expect((await refusalOf(signIn(t.db, { email, password: "the right one" }, attacker))).status).toBe(429);
  });

  it("does not count a successful sign-in against the address or the account", async () => {
    setClock(Date.UTC(2026, 10, 26, 12));
    const email = uniqueEmail();
    await createAccount(t.db, { email, displayName: "Often", password: "the right one" });
    const office = { clientAddress: "192.0.2.88" };
    for (let i = 0; i < 35; i++) await signIn(t.db, { email, password: "the right one" }, office);
    const rows = await t.db.selectFrom("rate_limits").select(["bucket", "hits"]).where("bucket", "like", "sign-in:%192.0.2.88%").execute();
    expect(rows.every((r) => r.hits === 0)).toBe(true);
  });

  it("throttles one address spraying many accounts", async () => {
    setClock(Date.UTC(2026, 10, 24, 12));
    const sprayer = { clientAddress: "192.0.2.99" };
    for (let i = 0; i < 30; i++) {
      await refusalOf(signIn(t.db, { email: uniqueEmail(), password: "password1" }, sprayer));
    }
    const victim = uniqueEmail();
    await createAccount(t.db, { email: victim, displayName: "Ed", password: "password1!" });
    expect((await refusalOf(signIn(t.db, { email: victim, password: "password1!" }, sprayer))).status).toBe(429);
  });

  it("ends a session after the idle timeout, slides it while in use, and ends it at the absolute lifetime", async () => {
    setClock(Date.UTC(2026, 0, 1));
    const email = uniqueEmail();
    const { token: idle } = await signUp(t.db, { email, displayName: "Fi", password: "password for fi" }, client);
    const { token: busy } = await signIn(t.db, { email, password: "password for fi" }, client);

    // Used every 10 days, the busy session slides past the 14-day idle timeout...
    advanceClock(10 * DAY);
    expect(await validateSession(t.db, busy)).not.toBeNull();
    advanceClock(10 * DAY);
    expect(await validateSession(t.db, busy)).not.toBeNull();
    // ...while the idle one, untouched for 20 days, has ended and is gone from the database.
    expect(await validateSession(t.db, idle)).toBeNull();
    expect(await t.db.selectFrom("sessions").select("id").where("id", "=", hashToken(idle)).executeTakeFirst()).toBeUndefined();

    // Still in use, but 30 days after sign-in it ends regardless.
    advanceClock(9 * DAY);
    expect(await validateSession(t.db, busy)).not.toBeNull();
    advanceClock(1 * DAY);
    expect(await validateSession(t.db, busy)).toBeNull();
  });

  it("ends a session at sign-out", async () => {
    const { token } = await signUp(t.db, { email: uniqueEmail(), displayName: "Gil", password: "password for gil" }, client);
    await endSession(t.db, token);
    expect(await validateSession(t.db, token)).toBeNull();
    expect(await t.db.selectFrom("sessions").select("id").where("id", "=", hashToken(token)).executeTakeFirst()).toBeUndefined();
  });

  it("ends every session of a user whose role changes", async () => {
    const email = uniqueEmail();
    const { userId, token } = await signUp(t.db, { email, displayName: "Hal", password: "password for hal" }, client);
    const { token: other } = await signIn(t.db, { email, password: "password for hal" }, client);
    await changeRole(t.db, { userId, role: "moderator", changedBy: null });
    expect(await validateSession(t.db, token)).toBeNull();
    expect(await validateSession(t.db, other)).toBeNull();
    const { token: fresh } = await signIn(t.db, { email, password: "password for hal" }, client);
    expect((await validateSession(t.db, fresh))?.role).toBe("moderator");
  });

  it("changes a password only with the current one, ending the other sessions", async () => {
    const email = uniqueEmail();
    const { userId, token } = await signUp(t.db, { email, displayName: "Ivy", password: "first password" }, client);
    const wrong = await refusalOf(changePassword(t.db, { userId, currentPassword: "not it", newPassword: "second password" }, client));
    expect(wrong.status).toBe(400);
    expect(await validateSession(t.db, token)).not.toBeNull();

    const { token: fresh } = await changePassword(t.db, { userId, currentPassword: "first password", newPassword: "second password" }, client);
    expect(await validateSession(t.db, token)).toBeNull();
    expect(await validateSession(t.db, fresh)).not.toBeNull();
    await refusalOf(signIn(t.db, { email, password: "first password" }, { clientAddress: "198.51.100.50" }));
    await expect(signIn(t.db, { email, password: "second password" }, client)).resolves.toHaveProperty("token");
  });

  it("refuses a role change for a user that does not exist", async () => {
    expect((await refusalOf(changeRole(t.db, { userId: "nobody", role: "admin", changedBy: null }))).status).toBe(404);
  });
});

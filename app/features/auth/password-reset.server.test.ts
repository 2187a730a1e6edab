import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { HOUR, MINUTE, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { hashToken } from "#app/lib/ids.ts";
import { changePassword, createAccount, signIn } from "./accounts.server.ts";
import {
  INVALID_RESET_LINK,
  RESET_REQUESTED,
  isResetLinkUsable,
  passwordResetLimits,
  requestPasswordReset,
  resetPassword,
  sendPasswordResetFor,
} from "./password-reset.server.ts";
import { createSession, validateSession } from "./session.server.ts";

const SITE = "http://cohort.test";
const START = Date.UTC(2026, 11, 2, 9);
let n = 0;

describe.each(testEngines())("password reset on %s", (engine) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  /** A fresh account, a client address of its own (so limits never mix between tests), and the clock at START. */
  async function setUp() {
    setClock(START);
    const email = `reset${++n}@example.com`;
    const { userId } = await createAccount(t.db, { email, displayName: "Rita", password: "the old password" });
    return { email, userId, client: { clientAddress: `10.0.${engine === "sqlite" ? 1 : 2}.${n}` } };
  }

  /** The token in the newest reset email to this address. */
  async function linkTokenFor(email: string): Promise<string> {
    const message = await t.db
      .selectFrom("outbox")
      .select("text_body")
      .where("to_address", "=", email)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    return new RegExp(`${SITE}/reset-password/([a-z2-7]+)`).exec(message.text_body)![1]!;
  }

  it("emails a link whose token (160 bits) is stored only as its SHA-256", async () => {
    const { email, userId, client } = await setUp();
    expect(await requestPasswordReset(t.db, { email: ` ${email.toUpperCase()} ` }, client, { siteOrigin: SITE })).toEqual({ message: RESET_REQUESTED });
    const token = await linkTokenFor(email);
    // 32 base32 characters are 160 bits.
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const rows = await t.db.selectFrom("password_resets").selectAll().where("user_id", "=", userId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expires_at).toBe(START + HOUR);
    const events = await t.db.selectFrom("security_events").select(["kind", "detail"]).where("user_id", "=", userId).execute();
    expect(events).toContainEqual({ kind: "password-reset.requested", detail: null });
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it("a password changed on the account page voids a link asked for before", async () => {
    const { email, userId, client } = await setUp();
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const token = await linkTokenFor(email);
    expect(await isResetLinkUsable(t.db, token)).toBe(true);
    await changePassword(t.db, { userId, currentPassword: "the old password", newPassword: "a brand new password" }, client);
    expect(await isResetLinkUsable(t.db, token)).toBe(false);
    expect((await refusalOf(resetPassword(t.db, { token, password: "the attacker's choice" }, client))).message).toBe(INVALID_RESET_LINK);
    await signIn(t.db, { email, password: "a brand new password" }, client);
  });

  it("answers an unknown email exactly the same and writes no link and no email", async () => {
    const { client } = await setUp();
    const before = await t.db.selectFrom("password_resets").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const stranger = `nobody${n}@example.com`;
    expect(await requestPasswordReset(t.db, { email: stranger }, client, { siteOrigin: SITE })).toEqual({ message: RESET_REQUESTED });
    const after = await t.db.selectFrom("password_resets").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await t.db.selectFrom("outbox").select("id").where("to_address", "=", stranger).execute()).toEqual([]);
  });

  it("opening the link does not use it; setting the password does, ends every session and signs in afresh", async () => {
    const { email, userId, client } = await setUp();
    const laptop = await createSession(t.db, userId);
    const phone = await createSession(t.db, userId);
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const token = await linkTokenFor(email);
    // A mail scanner (or the person) opening it twice changes nothing.
    expect(await isResetLinkUsable(t.db, token)).toBe(true);
    expect(await isResetLinkUsable(t.db, token)).toBe(true);

    const result = await resetPassword(t.db, { token, password: "a brand new passphrase" }, client);
    expect(result.userId).toBe(userId);
    expect(await validateSession(t.db, laptop)).toBeNull();
    expect(await validateSession(t.db, phone)).toBeNull();
    expect((await validateSession(t.db, result.token))?.id).toBe(userId);
    expect(await t.db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute()).toHaveLength(1);

    expect((await refusalOf(signIn(t.db, { email, password: "the old password" }, client))).status).toBe(400);
    expect((await signIn(t.db, { email, password: "a brand new passphrase" }, client)).userId).toBe(userId);
    const kinds = (await t.db.selectFrom("security_events").select("kind").where("user_id", "=", userId).execute()).map((e) => e.kind);
    expect(kinds).toContain("password.reset");
  });

  it("works once: a second use gets the generic answer and changes nothing", async () => {
    const { email, userId, client } = await setUp();
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const token = await linkTokenFor(email);
    await resetPassword(t.db, { token, password: "first new password" }, client);
    const hash = (await t.db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirstOrThrow()).password_hash;
    expect(await isResetLinkUsable(t.db, token)).toBe(false);
    const refusal = await refusalOf(resetPassword(t.db, { token, password: "second new password" }, client));
    expect(refusal.message).toBe(INVALID_RESET_LINK);
    expect((await t.db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirstOrThrow()).password_hash).toBe(hash);
  });

  it("of 20 concurrent uses of one link exactly one succeeds", async () => {
    const { email, userId, client } = await setUp();
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const token = await linkTokenFor(email);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => resetPassword(t.db, { token, password: `concurrent password ${i}` }, client)),
    );
    const succeeded = results.filter((r) => r.status === "fulfilled");
    expect(succeeded).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as Error).message).toBe(INVALID_RESET_LINK);
    // The password is the winner's, and only the winner's session exists.
    const winner = (succeeded[0] as PromiseFulfilledResult<{ token: string }>).value;
    expect(await t.db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute()).toEqual([{ id: hashToken(winner.token) }]);
  }, 60_000);

  it("expires after one hour", async () => {
    const { email, client } = await setUp();
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const token = await linkTokenFor(email);
    advanceClock(HOUR - SECOND);
    expect(await isResetLinkUsable(t.db, token)).toBe(true);
    advanceClock(SECOND);
    expect(await isResetLinkUsable(t.db, token)).toBe(false);
    expect((await refusalOf(resetPassword(t.db, { token, password: "too late a password" }, client))).message).toBe(INVALID_RESET_LINK);
  });

  it("a newer request makes the older link void", async () => {
    const { email, client } = await setUp();
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const older = await linkTokenFor(email);
    advanceClock(MINUTE);
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const newer = await linkTokenFor(email);
    expect(newer).not.toBe(older);
    expect((await refusalOf(resetPassword(t.db, { token: older, password: "from the old link" }, client))).message).toBe(INVALID_RESET_LINK);
    expect((await resetPassword(t.db, { token: newer, password: "from the new link" }, client)).token).toBeTruthy();
  });

  it("a wrong token gets the same generic answer", async () => {
    const { client } = await setUp();
    const refusal = await refusalOf(resetPassword(t.db, { token: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", password: "whatever password" }, client));
    expect(refusal.message).toBe(INVALID_RESET_LINK);
    expect(refusal.status).toBe(404);
  });

  it("throttles per email, across client addresses, with a 429 that says when; known and unknown alike", async () => {
    const { email, client } = await setUp();
    const [, perEmail] = passwordResetLimits(email, client.clientAddress);
    for (const address of [email, `ghost${n}@example.com`]) {
      for (let i = 0; i < perEmail!.max; i++) {
        await requestPasswordReset(t.db, { email: address }, { clientAddress: `${client.clientAddress}.${i}` }, { siteOrigin: SITE });
      }
      const refusal = await refusalOf(requestPasswordReset(t.db, { email: address }, { clientAddress: "192.0.2.200" }, { siteOrigin: SITE }));
      expect(refusal.status).toBe(429);
      expect(refusal.message).toMatch(/Too many requests for a new password\. Try again in \d+ minutes?\./);
      expect(refusal.retryAfterSeconds).toBeGreaterThan(0);
      expect(refusal.retryAfterSeconds).toBeLessThanOrEqual(HOUR / 1000);
    }
    // Only the allowed requests wrote links.
    expect(await t.db.selectFrom("outbox").select("id").where("to_address", "=", email).execute()).toHaveLength(perEmail!.max);
    // The window ends on its own.
    advanceClock(HOUR);
    expect((await requestPasswordReset(t.db, { email }, { clientAddress: "192.0.2.200" }, { siteOrigin: SITE })).message).toBe(RESET_REQUESTED);
  });

  it("throttles per client address across many emails", async () => {
    const { client } = await setUp();
    const [perAddress] = passwordResetLimits("x@example.com", client.clientAddress);
    for (let i = 0; i < perAddress!.max; i++) {
      await requestPasswordReset(t.db, { email: `sweep${n}.${i}@example.com` }, client, { siteOrigin: SITE });
    }
    const refusal = await refusalOf(requestPasswordReset(t.db, { email: `sweep${n}.last@example.com` }, client, { siteOrigin: SITE }));
    expect(refusal.status).toBe(429);
    const throttled = await t.db.selectFrom("security_events").select("kind").where("kind", "=", "password-reset.throttled").where("client_address", "=", client.clientAddress).execute();
    expect(throttled).toHaveLength(1);
  });

  it("staff can send a person a link, which voids the person's own older one", async () => {
    const { email, userId, client } = await setUp();
    const admin = await createAccount(t.db, { email: `admin${n}@example.com`, displayName: "Ada", password: "admin password", role: "admin" });
    await requestPasswordReset(t.db, { email }, client, { siteOrigin: SITE });
    const own = await linkTokenFor(email);
    advanceClock(MINUTE);
    const sent = await sendPasswordResetFor(t.db, userId, { sentBy: admin.userId, siteOrigin: SITE });
    expect(sent.email).toBe(email);
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", sent.outboxId).executeTakeFirstOrThrow();
    expect(message.text_body).toContain("staff who run Cohort");
    const staffToken = await linkTokenFor(email);
    expect(await isResetLinkUsable(t.db, own)).toBe(false);
    expect(await isResetLinkUsable(t.db, staffToken)).toBe(true);
    const row = await t.db.selectFrom("password_resets").selectAll().where("token_hash", "=", hashToken(staffToken)).executeTakeFirstOrThrow();
    expect(row.sent_by).toBe(admin.userId);
    const event = await t.db.selectFrom("security_events").selectAll().where("kind", "=", "password-reset.sent").where("subject", "=", userId).executeTakeFirstOrThrow();
    expect(event.user_id).toBe(admin.userId);
    expect((await resetPassword(t.db, { token: staffToken, password: "chosen by the person" }, client)).userId).toBe(userId);
    expect((await refusalOf(sendPasswordResetFor(t.db, "no-such-user"))).status).toBe(404);
  });
});

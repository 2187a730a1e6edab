import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { createCommunity, publishCommunity } from "#app/features/communities/communities.server.ts";
import { inviteMembers } from "#app/features/invitations/invitations.server.ts";
import { DAY, resetClock, setClock } from "#app/lib/clock.ts";
import { database } from "#app/lib/db.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { SESSION_COOKIE } from "#app/lib/security.ts";
import { createTestDatabase, type TestDatabase } from "#db/testing.ts";
import * as invitationPage from "./invitations.$token.tsx";
import * as membersPage from "./c.$slug.members.tsx";
import * as signupPage from "./signup.tsx";

// Sign-up has no limit of its own today; the route is held to the one path all the same, so a
// limit added to signUp later reaches the browser with its Retry-After.
vi.mock("#app/features/auth/accounts.server.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("#app/features/auth/accounts.server.ts")>();
  return {
    ...original,
    signUp: async (...args: Parameters<typeof original.signUp>) => {
      if (args[1].email === "limited@example.com") throw new Refusal(429, "Too many sign-ups from here. Try again in 2 minutes.", { retryAfterSeconds: 120 });
      return original.signUp(...args);
    },
  };
});

// The drift issue 15 found: members, sign-up and the invitation page could answer 429 without
// Retry-After. Each is called as Remix calls it, against a real, migrated database.
const SITE = "http://cohort.test";
const START = Date.UTC(2026, 2, 1);

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
  return new Request(`${SITE}${path}`, { method: "POST", body: new URLSearchParams(fields), headers });
}

function context(): AppLoadContext {
  return { cspNonce: "n", clientAddress: "203.0.113.9" } as AppLoadContext;
}

/** What `data()` carries: body, status and headers. */
function answer(value: unknown) {
  const { data: body, init } = value as { data: unknown; init?: ResponseInit };
  return { body, status: init?.status ?? 200, headers: new Headers(init?.headers) };
}

/** The page's document keeps the action's Retry-After (Remix builds it from `headers`). */
function documentRetryAfter(headers: unknown, retryAfter: string) {
  const build = headers as (args: { actionHeaders: Headers }) => Headers;
  return build({ actionHeaders: new Headers({ "Retry-After": retryAfter }) }).get("Retry-After");
}

describe("a 429 carries Retry-After on every page that can answer one", () => {
  let t: TestDatabase;
  let moderatorId: string;

  beforeAll(async () => {
    process.env.SIGNUP = "open";
    t = await createTestDatabase("sqlite");
    process.env.DATABASE_URL = t.location;
    setClock(START);
    ({ userId: moderatorId } = await createAccount(t.db, { email: "mod@example.com", displayName: "Mo", password: "password!", role: "moderator" }));
  });
  afterAll(async () => {
    resetClock();
    delete process.env.SIGNUP;
    await database().close();
    await t.cleanup();
  });

  it("the invitation page, when signing in to join is throttled", async () => {
    const moderator = { id: moderatorId, role: "moderator" as const };
    await createCommunity(t.db, moderator, { name: "A study", slug: "a-study", purpose: "What we want to learn, at some length.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
    await publishCommunity(t.db, moderator, "a-study");
    const report = await inviteMembers(t.db, moderator, "a-study", { emails: "guest@example.com", role: "participant" }, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").select("text_body").where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    const token = new RegExp(`${SITE}/invitations/([a-z2-7]+)`).exec(message.text_body)![1]!;
    await createAccount(t.db, { email: "guest@example.com", displayName: "Guest", password: "the right password" });

    const attempt = () =>
      invitationPage.action({ request: post(`/invitations/${token}`, { intent: "signin-and-join", password: "a wrong guess", confirmDates: "on" }), context: context(), params: { token } });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(answer(await attempt()));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    const limited = answers[5]!;
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: expect.stringContaining("Too many sign-in attempts") });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(documentRetryAfter(invitationPage.headers, "900")).toBe("900");
  });

  it("the members page, when the day's invitations are spent", async () => {
    const moderator = { id: moderatorId, role: "moderator" as const };
    await createCommunity(t.db, moderator, { name: "Big study", slug: "big-study", purpose: "A large study with many invitations.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
    const community = await t.db.selectFrom("communities").select("id").where("slug", "=", "big-study").executeTakeFirstOrThrow();
    // The rest of the day's 1000, sent an hour ago: the first frees in 23 hours.
    const at = START - DAY / 24;
    const earlier = Array.from({ length: 1000 }, (_, i) => ({
      id: `earlier-${i}`, community_id: community.id, email: `earlier${i}@example.com`, token_hash: `hash-${i}`, role: "participant" as const,
      note: null, source: null, attributes: "{}", invited_by: moderatorId, created_at: at, sent_at: at, expires_at: at + 7 * DAY,
    }));
    for (let i = 0; i < earlier.length; i += 200) await t.db.insertInto("invitations").values(earlier.slice(i, i + 200)).execute();
    const cookie = `${SESSION_COOKIE}=${await createSession(t.db, moderatorId)}`;

    const limited = answer(
      await membersPage.action({ request: post("/c/big-study/members", { intent: "invite", emails: "one.more@example.com", role: "participant" }, cookie), context: context(), params: { slug: "big-study" } }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe(String((23 * DAY) / 24 / 1000));
    // A conform form: the refusal is the invite form's own error.
    expect((limited.body as { result: { error: Record<string, string[]> } }).result.error[""]).toEqual(["You can send 1000 invitations a day; you have 0 left today."]);
    expect(documentRetryAfter(membersPage.headers, "82800")).toBe("82800");
  });

  it("the sign-up page, when signing up is throttled", async () => {
    const limited = answer(
      await signupPage.action({ request: post("/signup", { email: "limited@example.com", displayName: "Lim", password: "long enough password" }), context: context(), params: {} }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("120");
    expect((limited.body as { result: { initialValue: Record<string, unknown> } }).result.initialValue).not.toHaveProperty("password");
    expect(documentRetryAfter(signupPage.headers, "120")).toBe("120");
  });
});

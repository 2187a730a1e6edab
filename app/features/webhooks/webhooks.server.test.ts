import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { answerSuggestion, createSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { MINUTE, resetClock, setClock } from "#app/lib/clock.ts";
import { BACKOFF_MS, createWebhook, deliverWebhooks, listWebhooks, signature } from "./webhooks.server.ts";

const AT = Date.UTC(2026, 11, 1, 10);

describe.each(testEngines())("webhooks on %s", (engine) => {
  let t: TestDatabase;
  let admin: Actor;
  let product: Actor;
  let server: Server;
  let url: string;
  let answer = 500;
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    admin = { id: (await createAccount(t.db, { email: "admin@example.com", displayName: "Admin", password: "password!", role: "admin" })).userId, role: "admin" };
    product = { id: (await createAccount(t.db, { email: "prod@example.com", displayName: "Prod", password: "password!", role: "product" })).userId, role: "product" };
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answer;
        res.end(answer === 200 ? "thanks" : "not now");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.close();
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("posts signed events, retries with backoff after a failure, and never sends one twice at once", async () => {
    expect((await refusalOf(createWebhook(t.db, product, { url, events: ["suggestion.created"] }))).status).toBe(403);
    const { secret } = await createWebhook(t.db, admin, { url, events: ["suggestion.created", "suggestion.status_changed"] });
    setClock(AT);
    const { id } = await createSuggestion(t.db, product, { title: "Webhooked", problem: "p" });
    answer = 500;
    // Two processes at the same moment: one post.
    await Promise.all([deliverWebhooks(t.db), deliverWebhooks(t.db)]);
    expect(received).toHaveLength(1);
    const [first] = received;
    const timestamp = String(first!.headers["x-cohort-timestamp"]);
    expect(first!.headers["x-cohort-event"]).toBe("suggestion.created");
    expect(first!.headers["x-cohort-signature"]).toBe(signature(secret, timestamp, first!.body));
    expect(JSON.parse(first!.body)).toMatchObject({ event: "suggestion.created", data: { suggestion: { id, title: "Webhooked", status: "new" } } });

    let { deliveries } = await listWebhooks(t.db, admin);
    expect(deliveries[0]).toMatchObject({ attempts: 1, last_status: 500, last_response: "not now", delivered_at: null, next_attempt_at: AT + BACKOFF_MS[0]! });
    // Not before its time.
    setClock(AT + 30_000);
    await deliverWebhooks(t.db);
    expect(received).toHaveLength(1);
    answer = 200;
    setClock(AT + MINUTE);
    await deliverWebhooks(t.db);
    expect(received).toHaveLength(2);
    ({ deliveries } = await listWebhooks(t.db, admin));
    expect(deliveries[0]).toMatchObject({ attempts: 2, last_status: 200, last_response: "thanks", delivered_at: AT + MINUTE });

    await answerSuggestion(t.db, product, id, { status: "planned", answer: "", alternative: "", withoutAlternative: false }, { siteOrigin: "http://x" });
    await deliverWebhooks(t.db);
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ event: "suggestion.status_changed", data: { suggestion: { status: "planned" }, previous_status: "new" } });
  });

  it("gives up after the last retry", async () => {
    answer = 500;
    const before = received.length;
    setClock(AT + 10 * MINUTE);
    await createSuggestion(t.db, product, { title: "Never lands", problem: "p" });
    let clock = AT + 10 * MINUTE;
    for (let i = 0; i <= BACKOFF_MS.length; i++) {
      await deliverWebhooks(t.db);
      clock += BACKOFF_MS[i] ?? 0;
      setClock(clock);
    }
    expect(received.length - before).toBe(BACKOFF_MS.length + 1);
    const { deliveries } = await listWebhooks(t.db, admin);
    expect(deliveries[0]).toMatchObject({ attempts: BACKOFF_MS.length + 1, next_attempt_at: null, delivered_at: null });
  });
});

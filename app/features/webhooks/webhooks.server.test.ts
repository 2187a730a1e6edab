import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { answerSuggestion, createSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { MINUTE, resetClock, setClock } from "#app/lib/clock.ts";
import { isForbiddenAddress } from "#app/lib/outbound.server.ts";
import { BACKOFF_MS, createWebhook, deliverWebhooks, listWebhooks, signature } from "./webhooks.server.ts";

const AT = Date.UTC(2026, 11, 1, 10);
/** The test receiver listens on loopback, which a deployment must allow explicitly. */
const allow = { allowHosts: ["127.0.0.1"] };

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
    expect((await refusalOf(createWebhook(t.db, product, { url, events: ["suggestion.created"] }, allow))).status).toBe(403);
    const { secret } = await createWebhook(t.db, admin, { url, events: ["suggestion.created", "suggestion.status_changed"] }, allow);
    setClock(AT);
    const { id } = await createSuggestion(t.db, product, { title: "Webhooked", problem: "p" });
    answer = 500;
    // Two processes at the same moment: one post.
    await Promise.all([deliverWebhooks(t.db, allow), deliverWebhooks(t.db, allow)]);
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
    await deliverWebhooks(t.db, allow);
    expect(received).toHaveLength(1);
    answer = 200;
    setClock(AT + MINUTE);
    await deliverWebhooks(t.db, allow);
    expect(received).toHaveLength(2);
    ({ deliveries } = await listWebhooks(t.db, admin));
    expect(deliveries[0]).toMatchObject({ attempts: 2, last_status: 200, last_response: "thanks", delivered_at: AT + MINUTE });

    await answerSuggestion(t.db, product, id, { status: "planned", answer: "", alternative: "", withoutAlternative: false }, { siteOrigin: "http://x" });
    await deliverWebhooks(t.db, allow);
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ event: "suggestion.status_changed", data: { suggestion: { status: "planned" }, previous_status: "new" } });
  });

  it("gives up after the last retry", async () => {
    answer = 500;
    const before = received.length;
    setClock(AT + 10 * MINUTE);
    await createSuggestion(t.db, product, { title: "Never lands", problem: "p" });
    let clock = AT + 10 * MINUTE;
    for (let i = 0; i <= BACKOFF_MS.length; i++) {
      await deliverWebhooks(t.db, allow);
      clock += BACKOFF_MS[i] ?? 0;
      setClock(clock);
    }
    expect(received.length - before).toBe(BACKOFF_MS.length + 1);
    const { deliveries } = await listWebhooks(t.db, admin);
    expect(deliveries[0]).toMatchObject({ attempts: BACKOFF_MS.length + 1, next_attempt_at: null, delivered_at: null });
  });

  it("does not deliver to a local server by default, in any spelling of its address, and does when the host is allowed", async () => {
    const port = (server.address() as AddressInfo).port;
    const before = received.length;
    answer = 200;
    setClock(AT + 100 * MINUTE);
    // Registered while the deployment allowed loopback, then sent with no allowance: the send decides.
    const spellings = ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::ffff:127.0.0.1]", "localhost", "LOCALHOST."];
    for (const host of spellings) {
      await createWebhook(t.db, admin, { url: `http://${host}:${port}/hook`, events: ["suggestion.created"] }, { allowHosts: [new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "")] });
    }
    await createSuggestion(t.db, product, { title: "Aimed inside", problem: "p" });
    let result = await deliverWebhooks(t.db, { allowHosts: [] });
    expect(received.length - before).toBe(0);
    expect(result.delivered).toBe(0);
    expect(result.failed).toBeGreaterThanOrEqual(spellings.length);
    const { deliveries } = await listWebhooks(t.db, admin);
    const refused = deliveries.filter((d) => d.payload.includes("Aimed inside"));
    expect(refused.length).toBeGreaterThanOrEqual(spellings.length);
    for (const d of refused) {
      expect(d.last_status).toBeNull();
      expect(d.last_response).toMatch(/^Not sent: .*internal address/);
    }

    // Allowing loopback by name delivers those deliveries on the retry.
    setClock(AT + 100 * MINUTE + BACKOFF_MS[0]!);
    result = await deliverWebhooks(t.db, { allowHosts: ["127.0.0.1", "localhost"] });
    expect(received.length - before).toBeGreaterThanOrEqual(2);
  });

  it("refuses to register an address that is internal on its face unless allowed", async () => {
    for (const url of ["http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://[::1]/", "http://[fd00:ec2::254]/", "http://localhost:3000/", "http://0.0.0.0/", "http://user:pw@hooks.example.com/"]) {
      expect((await refusalOf(createWebhook(t.db, admin, { url, events: ["suggestion.created"] }, { allowHosts: [] }))).status, url).toBe(400);
    }
  });

  it("keeps only the status and a short, printable excerpt of a response, and follows no redirect", async () => {
    const big = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.url === "/moved") {
          res.writeHead(302, { Location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
          res.end("moving");
          return;
        }
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(`<script>alert(1)</script>\u0000\n${"secret ".repeat(5000)}`);
      });
    });
    await new Promise<void>((resolve) => big.listen(0, "127.0.0.1", resolve));
    try {
      const bigPort = (big.address() as AddressInfo).port;
      const { postOutbound } = await import("#app/lib/outbound.server.ts");
      const answerBig = await postOutbound(`http://127.0.0.1:${bigPort}/`, { headers: {}, body: "{}", timeoutMs: 5000, allowHosts: ["127.0.0.1"] });
      expect(answerBig.status).toBe(200);
      expect(answerBig.excerpt.length).toBeLessThanOrEqual(200);
      expect(answerBig.excerpt).not.toMatch(/[\u0000-\u001f]/);
      const before = received.length;
      const moved = await postOutbound(`http://127.0.0.1:${bigPort}/moved`, { headers: {}, body: "{}", timeoutMs: 5000, allowHosts: ["127.0.0.1"] });
      expect(moved.status).toBe(302);
      expect(received.length).toBe(before);
    } finally {
      big.close();
    }
  });
});

describe("isForbiddenAddress", () => {
  it.each([
    "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "224.0.0.1", "255.255.255.255", "::", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe",
    "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "fc00::1", "fd00:ec2::254", "fe80::1", "FE80::1%eth0", "ff02::1", "[::1]", "not an ip",
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });
  it.each(["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.215.14"])("lets %s through", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

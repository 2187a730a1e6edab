import { expect, test, type BrowserContext } from "@playwright/test";
import { request as httpRequest } from "node:http";
import { decode } from "turbo-stream";
import { BASE_URL, createActiveCommunity, createUser, signInAs, submitIdeaAs, userIdByEmail, withDatabase } from "./support.ts";

/** What the outside security review (issue 14) tried over HTTP, each answered at its root. */

const OFF_SITE_TARGETS = [
  "/.//evil.example/phish",
  "/./\\evil.example",
  "/a/..//evil.example",
  "/%2e//evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/\t/evil.example",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example",
];

test("signing in never answers a Location off this site, whatever redirectTo says", async ({ request }) => {
  const user = await createUser();
  for (const target of OFF_SITE_TARGETS) {
    const response = await request.post("/login", {
      form: { email: user.email, password: user.password, redirectTo: target },
      headers: { Origin: BASE_URL },
      maxRedirects: 0,
    });
    expect(response.status(), target).toBe(302);
    const location = response.headers()["location"] ?? "";
    expect(new URL(location, BASE_URL).origin, `${target} → ${location}`).toBe(BASE_URL);
    expect(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), `${target} → ${location}`).toBe(true);
  }
});

test("in a browser, signing in from a crafted link stays on the site", async ({ page }) => {
  const user = await createUser();
  await page.goto(`/login?redirectTo=${encodeURIComponent("/.//evil.example/phish")}`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
  expect(new URL(page.url()).origin).toBe(BASE_URL);
});

/** A raw HTTP request, for what a browser or Playwright would not send: chunked bodies, broken paths. */
function rawRequest(options: { method: string; path: string; headers?: Record<string, string>; chunks?: Buffer[] }): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: new URL(BASE_URL).port, method: options.method, path: options.path, headers: { Host: new URL(BASE_URL).host, Origin: BASE_URL, ...options.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
    });
    req.on("error", reject);
    const chunks = options.chunks ?? [];
    const write = (i: number) => {
      if (i >= chunks.length || req.destroyed) return req.end();
      // Stop writing once the answer has come back (the server refused the rest).
      if (!req.write(chunks[i]!)) req.once("drain", () => write(i + 1));
      else setImmediate(() => write(i + 1));
    };
    write(0);
  });
}

test("a 5 MB POST to /login gets 413 at once, chunked or not, and the server keeps serving", async ({ request }) => {
  const big = Buffer.alloc(5 * 1024 * 1024, "a");
  const declared = await request.post("/login", { data: big, headers: { Origin: BASE_URL, "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
  expect(declared.status()).toBe(413);
  expect(await declared.text()).toMatch(/too large/);

  // No Content-Length: the body is counted as it streams and refused past the limit.
  const chunked = await rawRequest({
    method: "POST",
    path: "/login",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
    chunks: Array.from({ length: 80 }, () => Buffer.alloc(64 * 1024, "b")),
  });
  expect(chunked.status).toBe(413);
  expect(chunked.ms).toBeLessThan(10_000);

  expect((await request.get("/healthz")).status()).toBe(200);
  // An ordinary sign-in still works after it.
  const user = await createUser();
  const ok = await request.post("/login", { form: { email: user.email, password: user.password }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(ok.status()).toBe(302);
});

test("malformed paths, multipart and JSON bodies get a short 400, never 500", async ({ request }) => {
  for (const path of ["/c/%FF", "/%", "/c/%E0%A4%A", "/login/%C0"]) {
    const response = await rawRequest({ method: "GET", path });
    expect(response.status, path).toBe(400);
    expect(response.body.length, path).toBeLessThan(200);
  }
  const form = (contentType: string, body: string) =>
    request.post("/login", { data: Buffer.from(body), headers: { Origin: BASE_URL, "Content-Type": contentType }, maxRedirects: 0 });
  const part = '--abc\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@example.com\r\n';
  const cases: [string, string][] = [
    ["multipart/form-data", `${part}--abc--\r\n`],
    ["multipart/form-data; boundary=zzz", `${part}--abc--\r\n`],
    ["multipart/form-data; boundary=abc", part],
    ["application/json", JSON.stringify({ email: "x@example.com", password: "whatever" })],
    ["text/xml", "<a/>"],
  ];
  for (const [type, body] of cases) {
    const response = await form(type, body);
    expect(response.status(), type).toBe(400);
    expect((await response.text()).length, type).toBeLessThan(200);
  }
  // A well-formed multipart form is still read.
  const good = await form("multipart/form-data; boundary=abc", `${part}--abc\r\nContent-Disposition: form-data; name="password"\r\n\r\nnot the password\r\n--abc--\r\n`);
  expect(good.status()).toBe(400);
  expect(await good.text()).toContain("do not match an account");
});

test("?_data= requests get a quiet 400 instead of a logged stack trace (or a 500)", async ({ request }) => {
  for (const path of ["/?_data=routes/nope", "/?_data=root", "/?_data=routes/_index", "/login?_data=routes/login", "/?_data=", "/c/x?a=1&_data=routes/c.$slug"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(400);
    expect((await response.text()).length, path).toBeLessThan(200);
  }
  // The data requests this app does make (single fetch) still work.
  expect((await request.get("/login.data")).status()).toBe(200);
});

test("while a community hides vote counts, no output a participant can reach tells the count (issue 14, item 6)", async ({ browser }) => {
  const reader = await createUser({ displayName: "Rhea Reader" });
  const voters = [await createUser({ displayName: "Vic One" }), await createUser({ displayName: "Vic Two" }), await createUser({ displayName: "Vic Three" })];
  const { slug } = await createActiveCommunity("Counted quietly", [reader.userId, ...voters.map((v) => v.userId)], { hideVoteCounts: true });
  const ideaId = await submitIdeaAs(slug, reader.userId, "Quietlycounted export button");
  for (const voter of voters) {
    const context = await browser.newContext();
    await signInAs(context, voter.userId);
    expect((await context.request.post(`/c/${slug}/ideas`, { form: { intent: "vote", ideaId }, headers: { Origin: BASE_URL }, maxRedirects: 0 })).status()).toBe(302);
    await context.close();
  }
  const counted = await withDatabase((db) => db.selectFrom("ideas").select("vote_count").where("thread_id", "=", ideaId).executeTakeFirstOrThrow());
  expect(counted.vote_count).toBe(3);

  // The idea's author, who would most like to know: pages, their data, search, the export, notifications.
  // Single-fetch data is a turbo-stream: decoded here, so the check reads the values, not their encoding.
  const readAll = async (context: BrowserContext, path: string) => {
    const response = await context.request.get(path);
    expect(response.status(), path).toBe(200);
    if (!path.includes(".data")) return response.text();
    const { value, done } = await decode(new Response(new Uint8Array(await response.body())).body!);
    await done;
    return JSON.stringify(value);
  };
  const leaks = [/"vote_?count":3\b/i, /"votes":3\b/, /\b3 votes\b/, /▲\s*3\b/];
  const outputs = [`/c/${slug}/ideas`, `/c/${slug}/ideas.data`, `/c/${slug}/t/${ideaId}`, `/c/${slug}/t/${ideaId}.data`, `/search?q=Quietlycounted`, `/search.data?q=Quietlycounted`, `/account/export`, `/notifications`];
  const context = await browser.newContext();
  await signInAs(context, reader.userId);
  for (const path of outputs) {
    const body = await readAll(context, path);
    if (!path.startsWith("/notifications")) expect(body, path).toContain("Quietlycounted");
    for (const leak of leaks) expect(body, `${path} tells the count`).not.toMatch(leak);
  }
  // The same detector finds the count where a moderator may see it: the check above can fail.
  const staff = await browser.newContext();
  await signInAs(staff, await userIdByEmail("maya@cohort.example"));
  for (const path of [`/c/${slug}/ideas.data`, `/c/${slug}/t/${ideaId}.data`]) expect(await readAll(staff, path), path).toMatch(leaks[1]!);
  await staff.close();
  // Staff outputs that carry counts are not theirs to read.
  for (const path of ["/suggestions.csv", `/c/${slug}/dashboard.csv?table=days`, "/triage", `/c/${slug}/dashboard`]) {
    expect([403, 404], path).toContain((await context.request.get(path, { maxRedirects: 0 })).status());
  }
  await context.close();

  // Webhooks carry suggestions only (title, status, answer): no count whatever the setting.
  const payloads = await withDatabase((db) => db.selectFrom("webhook_deliveries").select("payload").execute());
  for (const { payload } of payloads) expect(payload).not.toMatch(/vote/i);
});

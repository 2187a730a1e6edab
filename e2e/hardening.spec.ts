import { expect, test } from "@playwright/test";
import { BASE_URL, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";

const PAGES = ["/", "/login", "/signup", "/healthz", "/no-such-page", "/favicon.svg"];

test("every response carries the security headers, with a fresh nonce that the page's scripts use", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of PAGES) {
    const response = await request.get(path);
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toContain("base-uri 'none'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, path).toBeTruthy();
    nonces.add(nonce!);
    if ((headers["content-type"] ?? "").startsWith("text/html")) {
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
  }
  expect(nonces.size).toBe(PAGES.length);
});

test("a POST from another origin, or with no origin, is refused and signs nobody in", async ({ request }) => {
  const user = await createUser();
  const form = { email: user.email, password: user.password };

  const foreign = await request.post("/login", { form, headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
  expect(foreign.status()).toBe(403);
  expect(foreign.headers()["set-cookie"]).toBeUndefined();

  const missing = await request.post("/login", { form, maxRedirects: 0 });
  expect(missing.status()).toBe(403);

  // The same request from the site itself goes through, so the check is not a blanket refusal.
  const own = await request.post("/login", { form, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(own.status()).toBe(302);
  expect(own.headers()["set-cookie"]).toContain("cohort_session=");

  const events = await withDatabase((db) =>
    db.selectFrom("security_events").select("kind").where("subject", "=", user.email).execute(),
  );
  expect(events.map((e) => e.kind)).toEqual(["sign-in.success"]);
});

test("a form on another site cannot sign a visitor out (cross-site request forgery)", async ({ page, context }) => {
  const user = await createUser({ displayName: "Cora Csrf" });
  await signInAs(context, user.userId);
  // A page on another origin that submits a form to Cohort as soon as it loads.
  await page.route("http://evil.example/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form id="f" method="post" action="${BASE_URL}/logout"></form><script>document.getElementById("f").submit()</script>`,
    }),
  );
  const refused = page.waitForResponse((r) => r.url() === `${BASE_URL}/logout`);
  await page.goto("http://evil.example/attack");
  expect((await refused).status()).toBe(403);

  await page.goto("/");
  await expect(page.getByLabel("Account menu for Cora Csrf")).toBeVisible();
});

test("the pages hydrate under the Content-Security-Policy without a single violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/login");
  // Client-side validation only appears once React has hydrated.
  await page.getByLabel("Email").fill("not an email");
  await page.getByLabel("Email").blur();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  // Client-side navigation loads route modules under 'strict-dynamic'.
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your Cohort account" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("signed-in pages are never stored; signed-out ones are revalidated", async ({ request, browser }) => {
  expect((await request.get("/")).headers()["cache-control"]).toBe("no-cache");
  const user = await createUser();
  const context = await browser.newContext();
  await signInAs(context, user.userId);
  const response = await context.request.get("/");
  expect(await response.text()).toContain("Your communities");
  expect(response.headers()["cache-control"]).toBe("no-store");
  await context.close();
});

test("an unknown page gets a friendly 404 without internals", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  await expect(page.getByText("There is no page at this address.")).toBeVisible();
  expect(await page.content()).not.toMatch(/\bat .*\.(js|ts):\d+/);
  expect(await page.content()).not.toContain("No route matches");
});

test("a signed-in person on an unknown page keeps the site's header: still signed in, with a way on", async ({ browser }) => {
  const context = await browser.newContext();
  await signInAs(context, await userIdByEmail("lena@customer.example"));
  const page = await context.newPage();
  const response = await page.goto("/c/reporting-beta/no-such-thing/here");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Notifications/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await context.close();
});

test("a signed-out visitor asking for a signed-in page is sent to sign in, with a relative way back", async ({ request }) => {
  const response = await request.get("/account", { maxRedirects: 0 });
  expect(response.status()).toBe(302);
  expect(response.headers()["location"]).toBe("/login?redirectTo=%2Faccount");
});

test("/healthz answers JSON with the database's state", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", database: { engine: "sqlite", status: "ok" } });
  expect(typeof body.database.latencyMs).toBe("number");
});

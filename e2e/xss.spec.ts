import { expect, test, type Page } from "@playwright/test";
import { BASE_URL, createActiveCommunity, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";

/**
 * Payloads that have broken real forums: script tags, event handlers, javascript: and
 * data: links in Markdown and HTML, attribute breakouts, SVG and MathML tricks, template
 * injection, and line separators that break JSON embedded in a page. Every one calls
 * `alert` or sets `window.__xss`, so execution cannot go unnoticed.
 */
const PAYLOADS = [
  `<script>window.__xss=1;alert("script")</script>`,
  `<img src=x onerror="window.__xss=1;alert('img')">`,
  `<svg onload="window.__xss=1;alert('svg')"></svg>`,
  `"><script>window.__xss=1</script><"`,
  `'><img src=x onerror=alert(1)>`,
  `[click me](javascript:window.__xss=1;alert('md'))`,
  `[mixed case](JaVaScRiPt:alert('md2'))`,
  `[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `<a href="javascript:alert('a')">html link</a>`,
  `![image](x" onerror="alert('mdimg'))`,
  `<iframe src="javascript:alert('iframe')"></iframe>`,
  `<details open ontoggle="window.__xss=1;alert('details')">x</details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert('math')>`,
  `{{constructor.constructor('window.__xss=1;alert(1)')()}}`,
  `\u2028\u2029</script><script>window.__xss=1</script>`,
  `<style>@import 'javascript:alert(1)';</style><div style="background:url(javascript:alert(1))">css</div>`,
  `[ref][1]\n\n[1]: javascript:alert('ref')`,
  `<<script>script>alert('nested')<</script>/script>`,
];

async function watchForScripts(page: Page): Promise<string[]> {
  const incidents: string[] = [];
  page.on("dialog", async (dialog) => {
    incidents.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) incidents.push(`csp: ${message.text()}`);
  });
  // A blocked attempt counts as much as a successful one: the escaping must hold without CSP.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __violations: string[] }).__violations ??= [];
      (window as unknown as { __violations: string[] }).__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return incidents;
}

async function assertInert(page: Page, where: string, incidents: string[]) {
  const report = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: number }).__xss ?? null,
    violations: (window as unknown as { __violations?: string[] }).__violations ?? [],
    handlers: [...document.querySelectorAll("body *")].filter((el) => Element.prototype.getAttributeNames.call(el).some((name) => /^on/i.test(name))).map((el) => el.outerHTML.slice(0, 80)),
    frames: document.querySelectorAll("iframe, object, embed, math, svg script, main style, main svg").length,
    badLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? "").filter((href) => !/^(https?:|mailto:|\/|#|\?)/i.test(href)),
    scriptsWithoutNonce: [...document.scripts].filter((s) => !s.nonce).length,
  }));
  expect(report, where).toEqual({ xss: null, violations: [], handlers: [], frames: 0, badLinks: [], scriptsWithoutNonce: 0 });
  expect(incidents, where).toEqual([]);
}

test("XSS payloads in titles, bodies, display names and community names never execute", async ({ browser }) => {
  test.setTimeout(90_000);
  // One author per payload, named with it, so posting limits do not get in the way.
  const authors = await Promise.all(PAYLOADS.map((payload) => createUser({ displayName: payload.slice(0, 80) })));
  const { slug } = await createActiveCommunity("XSS corpus", authors.map((a) => a.userId));
  const communityName = `${PAYLOADS[0]} ${PAYLOADS[1]}`.slice(0, 100);
  await withDatabase((db) => db.updateTable("communities").set({ name: communityName }).where("slug", "=", slug).execute());

  // Each author posts a thread with the payload as title and body, and replies with it
  // to the first thread, through the same HTTP forms a browser uses.
  const threadPaths: string[] = [];
  for (const [index, author] of authors.entries()) {
    const context = await browser.newContext();
    await signInAs(context, author.userId);
    const payload = PAYLOADS[index]!;
    const posted = await context.request.post(`/c/${slug}?index`, {
      form: { title: `T${index} ${payload}`.slice(0, 200), body: payload },
      headers: { Origin: BASE_URL },
      maxRedirects: 0,
    });
    expect(posted.status(), payload).toBe(302);
    threadPaths.push(posted.headers().location!);
    const replied = await context.request.post(threadPaths[0]!, { form: { intent: "reply", body: `Reply: ${payload}` }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
    expect(replied.status(), payload).toBe(302);
    await context.close();
  }
  // A flag, so the payloads also reach the moderation queue.
  await withDatabase(async (db) => {
    const thread = await db.selectFrom("threads").select(["id", "community_id", "author_id"]).where("title", "like", "T1 %").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    await db
      .insertInto("flags")
      .values({ id: `xss-${Date.now()}`, community_id: thread.community_id, thread_id: thread.id, post_kind: "thread", post_id: thread.id, post_author_id: thread.author_id, reporter_id: authors[0]!.userId, reason: "other", note: PAYLOADS[1]!, created_at: Date.now(), resolved_at: null, resolution: null, resolved_by: null })
      .execute();
  });

  const pages = [`/c/${slug}`, ...threadPaths.slice(0, 4), "/moderation", `/c/${slug}/members`, "/", "/notifications", `/triage?community=${slug}`];
  // A participant (the first author, who gets reply notifications named with payloads) and the moderator read every page.
  for (const [who, userId] of [
    ["participant", authors[0]!.userId],
    ["moderator", await userIdByEmail("maya@cohort.example")],
  ] as const) {
    const context = await browser.newContext();
    await signInAs(context, userId);
    const page = await context.newPage();
    const incidents = await watchForScripts(page);
    for (const path of pages) {
      const response = await page.goto(path);
      if (response?.status() === 403 || response?.status() === 404) continue; // staff pages
      expect(response?.status(), `${who} ${path}`).toBe(200);
      await page.waitForLoadState("networkidle");
      await assertInert(page, `${who} ${path}`, incidents);
    }
    // The payloads are there, shown as text.
    await page.goto(threadPaths[0]!);
    await expect(page.getByRole("heading", { name: `T0 ${PAYLOADS[0]}` })).toBeVisible();
    await expect(page.getByText(PAYLOADS[3]!.slice(0, 80)).first()).toBeVisible();
    await context.close();
  }
});

import { readdirSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { NOT_PAGES, PAGES, READERS, demoIds, pathFor } from "./pages.ts";
import { createActiveCommunity, createUser, signInAs, submitIdeaAs, userIdByEmail, withDatabase } from "./support.ts";

/**
 * Every page at a phone's size (390×844), for every kind of reader: the document never
 * scrolls sideways, and the bell, every header link and Sign out are within reach. The pages
 * and readers come from e2e/pages.ts, which the accessibility journey shares.
 */
const PHONE = { width: 390, height: 844 };

test.describe.configure({ mode: "parallel" });

test("every page route has a row in PAGES", () => {
  const pages = readdirSync("app/routes").filter((file) => file.endsWith(".tsx") && !file.includes(".test.") && !NOT_PAGES.includes(file));
  const rows = PAGES.map(([route]) => route);
  expect(pages.filter((route) => !rows.includes(route)), "page routes without a row in PAGES (e2e/pages.ts)").toEqual([]);
  expect(rows.filter((route) => !pages.includes(route)), "rows for routes that no longer exist").toEqual([]);
});

/** The page's width beyond the viewport, and the widest element that sticks out (outside any scroll container). */
async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string | null }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    // Whether a scroll container (or other clipping box) keeps this element from widening the
    // page. An absolutely positioned element (a screen-reader-only label, say) is clipped only
    // by boxes from its containing block up, not by a scroll container it sits in.
    const clipped = (element: Element) => {
      const position = getComputedStyle(element).position;
      if (position === "fixed") return true;
      let box = position === "absolute" && element instanceof HTMLElement ? element.offsetParent : element.parentElement;
      for (; box && box !== document.body && box !== root; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== "visible") return true;
      }
      return false;
    };
    let widest: { right: number; element: Element } | null = null;
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const right = element.getBoundingClientRect().right + window.scrollX;
      if (right > root.clientWidth + 0.5 && (!widest || right >= widest.right) && !clipped(element)) widest = { right, element };
    }
    const describe = (element: Element) => {
      const classes = typeof element.className === "string" ? element.className.trim().split(/\s+/).slice(0, 6).join(".") : "";
      const text = (element.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
      return `<${element.tagName.toLowerCase()}${classes ? ` class="${classes}"` : ""}> ending at ${Math.round(element.getBoundingClientRect().right)} px: "${text}"`;
    };
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: widest ? describe(widest.element) : null };
  });
}

async function sidewaysProblem(page: Page, name: string): Promise<string | null> {
  const overflow = await sidewaysOverflow(page);
  if (overflow.scrollWidth <= overflow.clientWidth) return null;
  return `${name} is ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px screen; widest: ${overflow.widest ?? "(none found)"}`;
}

async function phonePage(browser: Browser, email: string | null, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, ...options });
  if (email) await signInAs(context, await userIdByEmail(email));
  return context.newPage();
}

/** Whether an element lies wholly inside the viewport. */
async function withinViewport(page: Page, name: string, box: { x: number; y: number; width: number; height: number } | null) {
  expect(box, `${name} has a box`).not.toBeNull();
  expect(box!.x, `${name} starts inside the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${name} ends inside the screen`).toBeLessThanOrEqual(PHONE.width);
  expect(box!.y + box!.height, `${name} is above the bottom of the screen`).toBeLessThanOrEqual(PHONE.height);
}

for (const reader of READERS) {
  test(`no page scrolls sideways at 390 px for the ${reader.name}`, async ({ browser }) => {
    // Some forty pages in a real browser: on a busy machine a page can take a second or two.
    test.setTimeout(240_000);
    const ids = await demoIds();
    const page = await phonePage(browser, reader.email);
    const problems: string[] = [];
    const opened: string[] = [];
    for (const [, ...paths] of PAGES) {
      for (const template of paths) {
        const path = pathFor(template, ids);
        // Pages this reader may not open (sent to sign in, 403, 404) are the access matrix's
        // business; a plain request (no rendering) finds them.
        if ((await page.request.get(path, { maxRedirects: 0 })).status() !== 200) continue;
        await page.goto(path);
        opened.push(template);
        const problem = await sidewaysProblem(page, template);
        if (problem) problems.push(problem);
      }
    }
    test.info().annotations.push({ type: "pages", description: `${opened.length}: ${opened.join(" ")}` });
    expect(opened.length, "pages this reader could open").toBeGreaterThan(reader.email ? 8 : 3);
    expect(problems).toEqual([]);
    await page.context().close();
  });
}

test("every path in PAGES opens for someone", async ({ browser }) => {
  const ids = await demoIds();
  const admin = await phonePage(browser, "ada@cohort.example");
  const participant = await phonePage(browser, "lena@customer.example");
  const anonymous = await phonePage(browser, null);
  const unopened: string[] = [];
  for (const [, ...paths] of PAGES) {
    for (const template of paths) {
      const path = pathFor(template, ids);
      let ok = false;
      for (const page of [admin, participant, anonymous]) {
        const response = await page.request.get(path, { maxRedirects: 0 });
        if (response.status() === 200) {
          ok = true;
          break;
        }
      }
      if (!ok) unopened.push(template);
    }
  }
  expect(unopened, "paths nobody can open: a typo, or an id the demo lacks").toEqual([]);
  for (const page of [admin, participant, anonymous]) await page.context().close();
});

test("long words, links, addresses and names wrap instead of widening the page", async ({ browser }) => {
  const word = "Donaudampfschifffahrtsgesellschaftskapitänskajütenschlüssel";
  const person = await createUser({ displayName: "Wolfeschlegelsteinhausenbergerdorffvoralternwaren Maxi" });
  const other = await createUser({ displayName: "Someone Else" });
  const { slug } = await createActiveCommunity(`Kundenzufriedenheitsforschungsgemeinschaft ${word}`, [person.userId, other.userId]);
  await submitIdeaAs(slug, other.userId, `${word} ${word}${word}`);
  const { threadId } = await withDatabase((db) =>
    startThread(db, { id: person.userId, role: "member" }, slug, {
      title: `${word}${word}`,
      body: `See https://example.com/${"a-very-long-path-segment/".repeat(8)}?q=${"x".repeat(80)} or write to ${"someone".repeat(8)}@example.com. ${word.repeat(3)}`,
    }),
  );
  const page = await phonePage(browser, "maya@cohort.example");
  const problems: string[] = [];
  for (const path of ["/", `/c/${slug}`, `/c/${slug}/ideas`, `/c/${slug}/t/${threadId}`, `/c/${slug}/members`, `/c/${slug}/dashboard`, `/c/${slug}/edit`, `/search?q=${word}`, "/triage"]) {
    await page.goto(path);
    const problem = await sidewaysProblem(page, path);
    if (problem) problems.push(problem);
  }
  expect(problems).toEqual([]);
  await page.context().close();
});

const SIGNED_IN = READERS.filter((reader) => reader.email !== null);

for (const reader of SIGNED_IN) {
  test(`the ${reader.name} reaches the bell, every header link and Sign out on a phone`, async ({ browser }) => {
    const page = await phonePage(browser, reader.email);
    await page.goto("/");

    const bell = page.getByRole("link", { name: /^Notifications/ });
    await withinViewport(page, "the bell", await bell.boundingBox());

    // Open with a tap: every link in the menu and Sign out are on the screen.
    const toggle = page.locator("summary:visible", { hasText: "Menu" });
    await expect(toggle).toHaveCount(1);
    await toggle.tap();
    const menu = page.locator("details[open]");
    await expect(menu).toHaveCount(1);
    const links = menu.getByRole("link");
    expect(await links.count(), "links in the menu").toBeGreaterThanOrEqual(1);
    for (const link of await links.all()) await withinViewport(page, `the menu's "${await link.textContent()}" link`, await link.boundingBox());
    await withinViewport(page, "Sign out", await menu.getByRole("button", { name: "Sign out" }).boundingBox());
    await withinViewport(page, "the menu's search box", await menu.getByRole("searchbox", { name: "Search" }).boundingBox());

    // A tap outside closes it; so does following one of its links.
    await page.touchscreen.tap(PHONE.width / 2, 25); // the empty middle of the header bar
    await expect(page.locator("details[open]")).toHaveCount(0);
    await toggle.tap();
    const firstLink = menu.getByRole("link").first();
    const target = await firstLink.getAttribute("href");
    await firstLink.tap();
    await expect(page).toHaveURL(new RegExp(`${target}$`));
    await expect(page.locator("details[open]")).toHaveCount(0);

    // The keyboard alone: Tab to the toggle, Enter opens, Escape closes and leaves focus on it.
    await page.goto("/");
    await page.locator("body").focus();
    let tabs = 0;
    while (!(await toggle.evaluate((element) => element === document.activeElement)) && tabs++ < 10) await page.keyboard.press("Tab");
    await expect(toggle).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
    await expect(toggle).toBeFocused();

    // Enter again, Tab down to Sign out, and sign out.
    await page.keyboard.press("Enter");
    const signOut = page.getByRole("button", { name: "Sign out" });
    tabs = 0;
    while (!(await signOut.evaluate((element) => element === document.activeElement)) && tabs++ < 20) await page.keyboard.press("Tab");
    await expect(signOut).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login/);
    await page.context().close();
  });
}

test("a row's confirmation in a table that scrolls sideways opens within the screen", async ({ browser }) => {
  const page = await phonePage(browser, "maya@cohort.example");
  await page.goto("/c/reporting-beta/members");
  const invitations = page.locator("section", { has: page.getByRole("heading", { name: "Invitations" }) });
  await invitations.getByText("Withdraw…").first().click();
  const confirm = invitations.getByRole("button", { name: /^Withdraw invitation to / }).first();
  await expect(confirm).toBeVisible();
  await expect(confirm).toBeInViewport({ ratio: 1 });
  await page.context().close();
});

test("the phone menu opens and signs out without JavaScript", async ({ browser }) => {
  const page = await phonePage(browser, "ada@cohort.example", { javaScriptEnabled: false });
  await page.goto("/");
  await page.getByLabel("Menu for Ada Lovelace", { exact: true }).click();
  for (const name of ["Triage", "Suggestions", "Moderation", "Your account", "Outbox", "Webhooks", "Audit log"]) {
    await expect(page.getByRole("link", { name, exact: false }).first()).toBeInViewport();
  }
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.context().close();
});

test("the bell shows its unread count in the phone bar", async ({ browser }) => {
  const page = await phonePage(browser, "lena@customer.example");
  await page.goto("/");
  const bell = page.getByRole("link", { name: /^Notifications, \d+ unread$/ });
  await expect(bell, "the demo leaves Lena unread notifications").toBeInViewport();
  await bell.tap();
  await expect(page).toHaveURL(/\/notifications$/);
  await page.context().close();
});

test("on a wide screen the account menu keeps its place, and Escape or a click outside closes it", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await signInAs(context, await userIdByEmail("maya@cohort.example"));
  const page = await context.newPage();
  await page.goto("/");
  for (const name of ["Triage", "Suggestions", "Moderation"]) await expect(page.getByRole("banner").getByRole("link", { name })).toBeInViewport();
  await expect(page.getByLabel("Menu for Maya Chen", { exact: true })).toBeHidden();
  const toggle = page.getByLabel("Account menu for Maya Chen");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
  await expect(toggle).toBeFocused();
  await toggle.click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByRole("heading", { level: 1 }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
  await context.close();
});

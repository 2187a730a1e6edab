import { expect, test, type Browser, type Page } from "@playwright/test";
import { BASE_URL, E2E_DEMO_PASSWORD, createUser, signInAs, signInWithForm, withDatabase } from "./support.ts";

async function signedInAsAda(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await signInWithForm(page, "ada@cohort.example", E2E_DEMO_PASSWORD);
  await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();
  return page;
}

async function openPerson(admin: Page, search: string, name: string): Promise<void> {
  await admin.goto("/admin/people");
  await admin.getByLabel("Search by name or email").fill(search);
  await admin.getByRole("button", { name: "Search" }).click();
  await admin.getByRole("row").filter({ hasText: name }).getByRole("link", { name }).click();
  await expect(admin.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("an admin finds a member by search and changes her role; her next request reflects it", async ({ browser }) => {
  // Several browsers and argon2 sign-ins: on a loaded machine these take close to a minute.
  test.setTimeout(120_000);
  const run = Date.now().toString(36);
  const rita = await createUser({ displayName: `Rita Role ${run}` });

  const admin = await signedInAsAda(browser);
  // The account menu leads to the people page.
  await admin.getByLabel("Account menu for Ada Lovelace").click();
  await admin.getByRole("link", { name: "People" }).click();
  await expect(admin.getByRole("heading", { name: "People" })).toBeVisible();
  // The menu closes itself on navigation.
  await expect(admin.getByRole("banner").getByRole("link", { name: "Settings" })).toBeHidden();

  // Search finds her by email in another case, and only her.
  await admin.getByLabel("Search by name or email").fill(rita.email.toUpperCase());
  await admin.getByRole("button", { name: "Search" }).click();
  const rows = admin.getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(`Rita Role ${run}`);
  await expect(rows.nth(1)).toContainText("Member");
  await expect(rows.nth(1)).toContainText("Active");

  // Rita has the site open in her own browser.
  const ritaPage = await (await browser.newContext()).newPage();
  await signInAs(ritaPage.context(), rita.userId);
  await ritaPage.goto("/account");
  await expect(ritaPage.getByText("Member: you take part")).toBeVisible();

  await rows.nth(1).getByRole("link", { name: `Rita Role ${run}` }).click();
  await admin.getByLabel("New role").selectOption("moderator");
  await admin.getByRole("button", { name: "Change role" }).click();
  await expect(admin.getByRole("status")).toHaveText(`Rita Role ${run} is now Moderator. They were signed out everywhere; the new role applies when they sign in again.`);

  // Her next request finds her signed out; signing in again, she is a moderator.
  await ritaPage.goto("/account");
  await expect(ritaPage).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
  await signInWithForm(ritaPage, rita.email, rita.password);
  await expect(ritaPage.getByText("Moderator: you run communities")).toBeVisible();
  await expect(ritaPage.getByLabel(`Account menu for Rita Role ${run}`)).toContainText("Moderator");

});

test("an admin suspends an account after a confirmation: its open browser is signed out and cannot sign in until reactivated", async ({ browser }) => {
  // Several browsers and argon2 sign-ins: on a loaded machine these take close to a minute.
  test.setTimeout(120_000);
  const run = Date.now().toString(36);
  const sven = await createUser({ displayName: `Sven Suspend ${run}` });
  const admin = await signedInAsAda(browser);

  // Sven is signed in; the list shows when he was last seen.
  const svenPage = await (await browser.newContext()).newPage();
  await signInAs(svenPage.context(), sven.userId);
  await svenPage.goto("/account");
  await expect(svenPage.getByRole("heading", { name: "Your account" })).toBeVisible();
  await admin.goto(`/admin/people?q=${encodeURIComponent(`sven suspend ${run}`)}`);
  await expect(admin.getByRole("row").filter({ hasText: `Sven Suspend ${run}` })).toContainText("less than a minute ago");

  await openPerson(admin, `SVEN SUSPEND ${run}`, `Sven Suspend ${run}`);
  await admin.getByRole("link", { name: `Suspend Sven Suspend ${run}…` }).click();
  // The confirmation says what will happen before anything does.
  await expect(admin.getByText(`Sven Suspend ${run} is signed out at once and cannot sign in; what they wrote stays.`)).toBeVisible();
  await admin.getByRole("button", { name: `Suspend Sven Suspend ${run}` }).click();
  await expect(admin.getByRole("status")).toHaveText(`Sven Suspend ${run} is suspended and was signed out everywhere.`);
  await expect(admin.getByText(/^Suspended/).first()).toBeVisible();
  await expect(admin.getByText("by Ada Lovelace")).toBeVisible();

  // His open browser is signed out at the next navigation, and he cannot sign in again.
  await svenPage.goto("/account");
  await expect(svenPage).toHaveURL(/\/login/);
  await signInWithForm(svenPage, sven.email, sven.password);
  await expect(svenPage.getByRole("alert")).toContainText("This account is suspended.");
  // A wrong password learns nothing about the account.
  await signInWithForm(svenPage, sven.email, "not his password");
  await expect(svenPage.getByRole("alert")).toHaveText("That email and password do not match an account.");

  await admin.goto(`/admin/people?q=${encodeURIComponent(sven.email)}`);
  await expect(admin.getByRole("row").filter({ hasText: `Sven Suspend ${run}` })).toContainText("Suspended");
  await admin.getByRole("link", { name: `Sven Suspend ${run}` }).click();
  await admin.getByRole("button", { name: `Reactivate Sven Suspend ${run}` }).click();
  await expect(admin.getByRole("status")).toHaveText(`Sven Suspend ${run} can sign in again.`);
  await signInWithForm(svenPage, sven.email, sven.password);
  await expect(svenPage.getByLabel(`Account menu for Sven Suspend ${run}`)).toBeVisible();

});

test("an admin creates a moderator account whose password is shown once, and cannot change her own account", async ({ browser }) => {
  // Several browsers and argon2 sign-ins: on a loaded machine these take close to a minute.
  test.setTimeout(120_000);
  const run = Date.now().toString(36);
  const admin = await signedInAsAda(browser);

  // Ada cannot change her own role or suspend herself.
  await openPerson(admin, "ada@cohort.example", "Ada Lovelace");
  await expect(admin.getByText("This is you.")).toBeVisible();
  await expect(admin.getByRole("button", { name: "Change role" })).toHaveCount(0);
  await expect(admin.getByRole("link", { name: /^Suspend/ })).toHaveCount(0);

  // A new moderator account, with a password shown once, that signs in.
  const email = `mo.${run}@cohort.example`;
  await admin.goto("/admin/people");
  await admin.getByText("Create an account").click();
  await admin.getByLabel("Email", { exact: true }).fill(email);
  await admin.getByLabel("Name", { exact: true }).fill(`Mo Moderator ${run}`);
  await admin.getByLabel("Role", { exact: true }).selectOption("moderator");
  await admin.getByRole("button", { name: "Create account" }).click();
  await expect(admin.getByRole("status")).toContainText(`Created the account of Mo Moderator ${run} (Moderator)`);
  const password = (await admin.getByTestId("generated-password").textContent())!.trim();
  expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  // Shown only on that answer: reloading the page does not show it again.
  await admin.goto("/admin/people");
  await expect(admin.getByTestId("generated-password")).toHaveCount(0);

  const mo = await (await browser.newContext()).newPage();
  await mo.goto("/login");
  await signInWithForm(mo, email, password);
  await expect(mo.getByLabel(`Account menu for Mo Moderator ${run}`)).toContainText("Moderator");
});

test("only admins reach the people pages; others get 403 and change nothing", async ({ browser }) => {
  const moderator = await createUser({ role: "moderator", displayName: "Mona Moderator" });
  const target = await createUser({ displayName: "Tara Target" });
  const context = await browser.newContext();
  await signInAs(context, moderator.userId);
  expect((await context.request.get("/admin/people")).status()).toBe(403);
  expect((await context.request.get(`/admin/people/${target.userId}`)).status()).toBe(403);
  const post = await context.request.post(`/admin/people/${target.userId}`, { form: { intent: "suspend" }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(post.status()).toBe(403);
  const row = await withDatabase((db) => db.selectFrom("users").select("suspended_at").where("id", "=", target.userId).executeTakeFirstOrThrow());
  expect(row.suspended_at).toBeNull();
  const page = await context.newPage();
  await page.goto("/");
  await page.getByLabel("Account menu for Mona Moderator").click();
  await expect(page.getByRole("link", { name: "People" })).toHaveCount(0);
});

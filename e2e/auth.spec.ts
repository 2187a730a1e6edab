import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "#db/seed.ts";
import { E2E_DEMO_PASSWORD, createUser, signInAs, signInWithForm, uniqueEmail } from "./support.ts";

test("a newcomer signs up and lands on the signed-in home", async ({ page }) => {
  const email = uniqueEmail("newcomer");
  await page.goto("/");
  await page.getByRole("link", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Create your Cohort account" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Nova Newcomer");
  await page.getByLabel("Password").fill("a long and memorable phrase");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();
  await expect(page.getByText("You are not in any community yet")).toBeVisible();
  await expect(page.getByLabel("Account menu for Nova Newcomer")).toBeVisible();
});

test("sign-up explains what is wrong with the form", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not an email");
  await page.getByLabel("Display name").fill("Short");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page).toHaveURL("/signup");
});

test("signing out ends the session", async ({ page, context }) => {
  const user = await createUser({ displayName: "Olive Outgoing" });
  await signInAs(context, user.userId);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();

  await page.getByLabel("Account menu for Olive Outgoing").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: /Hear your most passionate customers/ })).toBeVisible();

  // The old session no longer opens signed-in pages.
  await page.goto("/account");
  await expect(page).toHaveURL("/login?redirectTo=%2Faccount");
});

test("a wrong password shows an error and signs nobody in", async ({ page }) => {
  const user = await createUser();
  await page.goto("/login");
  await signInWithForm(page, user.email, "not the password");
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await expect(page.getByLabel("Email")).toHaveValue(user.email);

  // An unknown email gets exactly the same answer.
  await signInWithForm(page, uniqueEmail("nobody"), "not the password");
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("every demo account signs in", async ({ page }) => {
  for (const account of DEMO_ACCOUNTS) {
    await page.goto("/login");
    await signInWithForm(page, account.email, E2E_DEMO_PASSWORD);
    await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();
    await expect(page.getByLabel(`Account menu for ${account.displayName}`)).toBeVisible();
    await page.getByLabel(`Account menu for ${account.displayName}`).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  }
});

test("sign-in returns to the page asked for, but never to another site", async ({ page }) => {
  const user = await createUser({ displayName: "Rita Return" });
  await page.goto("/account");
  await expect(page).toHaveURL("/login?redirectTo=%2Faccount");
  await signInWithForm(page, user.email, user.password);
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();

  await page.context().clearCookies();
  for (const target of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
    await page.goto(`/login?redirectTo=${encodeURIComponent(target)}`);
    await signInWithForm(page, user.email, user.password);
    await expect(page).toHaveURL("/");
    await page.context().clearCookies();
  }
});

test("changing the password signs out other devices", async ({ browser }) => {
  const user = await createUser({ displayName: "Pat Password" });
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  await signInAs(laptop, user.userId);
  await signInAs(phone, user.userId);
  const page = await laptop.newPage();
  await page.goto("/account");
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is changed");

  // This device stays signed in with a fresh session; the other one is signed out.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();
  const other = await phone.newPage();
  await other.goto("/account");
  await expect(other).toHaveURL(/\/login/);
  await laptop.close();
  await phone.close();
});

test.describe("with JavaScript turned off", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in, a wrong password and sign-out all work", async ({ page }) => {
    const user = await createUser({ displayName: "Nadia NoScript" });
    await page.goto("/login");
    await signInWithForm(page, user.email, "wrong password here");
    await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");

    await signInWithForm(page, user.email, user.password);
    await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();

    // The account menu is a <details> disclosure, so it opens without scripts.
    await page.getByLabel("Account menu for Nadia NoScript").click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("sign-up works", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Email").fill(uniqueEmail("noscript"));
    await page.getByLabel("Display name").fill("Noel NoScript");
    await page.getByLabel("Password").fill("works without scripts");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Your communities" })).toBeVisible();
  });
});

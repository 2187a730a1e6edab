import { expect, test } from "@playwright/test";
import { BASE_URL, createUser, signInAs, signInWithForm, uniqueEmail, userIdByEmail, withDatabase } from "./support.ts";

const GENERIC_SENT = "If an account exists for that address, we have sent a link to set a new password.";
const GENERIC_INVALID = "This link to set a new password is not valid.";

/** The reset link in the newest email to this address, as a path on the test server. */
async function resetLinkFor(email: string): Promise<string> {
  const message = await withDatabase((db) =>
    db.selectFrom("outbox").select("text_body").where("to_address", "=", email).orderBy("created_at", "desc").orderBy("id", "desc").executeTakeFirst(),
  );
  const match = /https?:\/\/[^\s/]+(\/reset-password\/[a-z2-7]+)/.exec(message?.text_body ?? "");
  expect(match, `a reset link emailed to ${email}`).not.toBeNull();
  return match![1]!;
}

test("a member who forgot her password resets it by email; her other session ends and the link works once", async ({ browser }) => {
  const member = await createUser({ displayName: "Rhea Reset", password: "the old password" });

  // Signed in on her laptop.
  const laptop = await browser.newContext();
  await signInAs(laptop, member.userId);
  const laptopPage = await laptop.newPage();
  await laptopPage.goto("/account");
  await expect(laptopPage.getByRole("heading", { name: "Your account" })).toBeVisible();

  // On her phone she has forgotten it.
  const phone = await browser.newContext();
  const page = await phone.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();

  // An address without an account gets exactly the same answer, and no email.
  const stranger = uniqueEmail("stranger");
  await page.getByLabel("Email").fill(stranger);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status")).toContainText(GENERIC_SENT);
  await expect(page.getByLabel("Email")).toHaveValue("");
  const strangerAnswer = await page.getByRole("status").innerText();
  expect(await withDatabase((db) => db.selectFrom("outbox").select("id").where("to_address", "=", stranger).execute())).toEqual([]);

  await page.getByLabel("Email").fill(member.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  // The form empties once the answer is in (the answer itself is already on the page).
  await expect(page.getByLabel("Email")).toHaveValue("");
  await expect(page.getByRole("status")).toContainText(GENERIC_SENT);
  expect(await page.getByRole("status").innerText()).toBe(strangerAnswer);

  const link = await resetLinkFor(member.email);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Set a new password" })).toBeVisible();
  // Same length rules as sign-up.
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await page.getByLabel("New password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("heading", { name: "Your new password is set" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Every other session of your account has been signed out");
  await expect(page.getByLabel("Account menu for Rhea Reset")).toBeVisible();

  // The laptop's session is gone.
  await laptopPage.goto("/account");
  await expect(laptopPage).toHaveURL("/login?redirectTo=%2Faccount");

  // The link worked once: opening it again, or posting to it, gets the generic answer.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText(GENERIC_INVALID);
  await expect(page.getByLabel("New password")).toHaveCount(0);
  const again = await page.request.post(link, { form: { password: "someone else's password" }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(again.status()).toBe(404);
  expect(await again.text()).toContain(GENERIC_INVALID);

  // The new password signs in; the old one does not.
  await laptopPage.getByLabel("Email").fill(member.email);
  await laptopPage.getByLabel("Password", { exact: true }).fill("the old password");
  await laptopPage.getByRole("button", { name: "Sign in" }).click();
  await expect(laptopPage.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await signInWithForm(laptopPage, member.email, "a brand new passphrase");
  await expect(laptopPage).toHaveURL("/account");
  await expect(laptopPage.getByRole("heading", { name: "Your account" })).toBeVisible();

  const kinds = await withDatabase(async (db) => (await db.selectFrom("security_events").select("kind").where("user_id", "=", member.userId).execute()).map((e) => e.kind));
  expect(kinds).toEqual(expect.arrayContaining(["password-reset.requested", "password.reset", "sign-in.success"]));

  await laptop.close();
  await phone.close();
});

test("a visitor without an invitation learns whom to ask, in words the admin sets", async ({ browser }) => {
  const admin = await browser.newContext();
  await signInAs(admin, await userIdByEmail("ada@cohort.example"));
  const adminPage = await admin.newPage();
  await adminPage.goto("/");
  await adminPage.getByLabel("Account menu for Ada Lovelace").click();
  await adminPage.getByRole("link", { name: "Settings" }).click();
  await expect(adminPage.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  // The demo already says something.
  await expect(adminPage.getByLabel("What a visitor without an invitation should do")).toHaveValue(/research@cohort\.example/);

  const address = `invites.${Date.now()}@acme.com`;
  await adminPage.getByLabel("What a visitor without an invitation should do").fill(`Ask our community team at ${address} for a place in the next study.`);
  await adminPage.getByRole("button", { name: "Save" }).click();
  await expect(adminPage.getByRole("status")).toContainText("Saved. Visitors now see it");
  await expect(adminPage.getByRole("region", { name: "No invitation yet?" })).toContainText(address);

  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  await page.goto("/");
  const contact = page.getByRole("region", { name: "No invitation yet?" });
  await expect(contact).toContainText(`Ask our community team at ${address}`);
  await expect(contact.getByRole("link", { name: address })).toHaveAttribute("href", `mailto:${address}`);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL("/signup");
  await expect(page.getByRole("region", { name: "No invitation yet?" })).toContainText(address);

  // Participants cannot reach the settings.
  const participant = await browser.newContext();
  await signInAs(participant, await userIdByEmail("lena@customer.example"));
  const response = await (await participant.newPage()).goto("/admin/settings");
  expect(response?.status()).toBe(403);

  await admin.close();
  await visitor.close();
  await participant.close();
});

test("asking for links again and again is throttled per email with a 429 that says when", async ({ page }) => {
  const email = uniqueEmail("mailbombed");
  const ask = () => page.request.post("/forgot-password", { form: { email }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  // Five an hour per address; the same for an address without an account.
  for (let i = 0; i < 5; i++) expect((await ask()).status()).toBe(200);
  const refused = await ask();
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await refused.text()).toContain("Too many requests for a new password. Try again in");
});

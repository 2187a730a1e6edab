import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createActiveCommunity, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";

test("a member downloads everything they wrote, then erases their account", async ({ browser }) => {
  const member = await createUser({ displayName: "Petra Private" });
  const { slug } = await createActiveCommunity("Privacy journey", [member.userId]);
  const title = `What I said before leaving ${Date.now()}`;
  const threadId = await withDatabase(async (db) => (await startThread(db, { id: member.userId, role: "member" }, slug, { title, body: "My words, mine to take away." })).threadId);

  const context = await browser.newContext();
  await signInAs(context, member.userId);
  const page = await context.newPage();
  await page.goto("/account");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download everything you wrote (JSON)" }).click()]);
  expect(download.suggestedFilename()).toBe("cohort-my-data.json");
  const data = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(data.account).toMatchObject({ email: member.email, display_name: "Petra Private" });
  expect(data.threads.map((t: { title: string }) => t.title)).toEqual([title]);

  await page.getByRole("link", { name: "Erase your account…" }).click();
  await page.getByLabel("Your password").fill(member.password);
  await page.getByLabel("I understand that this cannot be undone").check();
  await page.getByRole("button", { name: "Erase my account" }).click();
  await expect(page.getByText("Your account was erased and you are signed out.")).toBeVisible();
  // Signed out everywhere: the old session cookie opens nothing.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);

  // Others see the words, not the person.
  const other = await browser.newContext();
  await signInAs(other, await userIdByEmail("maya@cohort.example"));
  const view = await other.newPage();
  await view.goto(`/c/${slug}/t/${threadId}`);
  await expect(view.getByText("My words, mine to take away.")).toBeVisible();
  await expect(view.getByText("Former member")).toBeVisible();
  await expect(view.getByText("Petra Private")).toHaveCount(0);
  await context.close();
  await other.close();
});

test("participants see other members' display names, never their email addresses", async ({ browser }) => {
  const context = await browser.newContext();
  await signInAs(context, await userIdByEmail("lena@customer.example"));
  const others = ["sam@customer.example", "diego@customer.example", "june@customer.example", "maya@cohort.example"];
  const threads = await withDatabase((db) => db.selectFrom("threads").innerJoin("communities", "communities.id", "threads.community_id").select(["threads.id", "communities.slug"]).where("communities.slug", "=", "reporting-beta").where("threads.visible_from", "<=", Date.now()).execute());
  const pages = ["/", "/c/reporting-beta", "/c/reporting-beta/ideas", "/c/workspace-pilot/ideas", "/notifications", "/search?q=report", ...threads.map((t) => `/c/${t.slug}/t/${t.id}`)];
  for (const path of pages) {
    const response = await context.request.get(path);
    expect(response.status(), path).toBe(200);
    const html = await response.text();
    for (const email of others) expect(html, `${path} shows ${email}`).not.toContain(email);
  }
  await context.close();
});

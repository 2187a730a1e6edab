import { expect, test } from "@playwright/test";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { createActiveCommunity, createUser, signInAs, withDatabase } from "./support.ts";

test("a member changes her name and bio; it shows on her posts and her profile, impersonation is refused, and outsiders get 404", async ({ browser }) => {
  const nora = await createUser({ displayName: "Nora Before" });
  const neighbour = await createUser({ displayName: "Nils Neighbour" });
  const outsider = await createUser({ displayName: "Olli Outside" });
  const { slug } = await createActiveCommunity("Profiles journey", [nora.userId, neighbour.userId]);
  await createActiveCommunity("Elsewhere", [outsider.userId]);
  const title = `Nora's question ${Date.now()}`;
  const threadId = await withDatabase(async (db) => (await startThread(db, { id: nora.userId, role: "member" }, slug, { title, body: "How do you export?" })).threadId);

  const context = await browser.newContext();
  await signInAs(context, nora.userId);
  const page = await context.newPage();
  await page.goto("/account");
  const name = page.getByLabel("Display name");
  // Names that pass for staff or the erasure placeholder are refused, next to the field.
  for (const attempt of ["Moderator", "ｆｏｒｍｅｒ  ｍｅｍｂｅｒ", "Prоduct team"]) {
    await name.fill(attempt);
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText(/is reserved: it would pass for staff or the system/)).toBeVisible();
  }
  await name.fill("  Nora   Fischer-Lang ");
  await page.getByLabel("Bio (optional)").fill("Finance operations in Leipzig.\nSpreadsheets are my second home.");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your profile is saved" })).toContainText("Nora Fischer-Lang");

  // Her post carries the new name, and the name opens her profile.
  await page.goto(`/c/${slug}/t/${threadId}`);
  const opening = page.locator("#opening-post");
  await expect(opening.getByRole("link", { name: "Nora Fischer-Lang" })).toBeVisible();
  await expect(page.getByText("Nora Before")).toHaveCount(0);

  // A member of the same community opens it from the post.
  const neighbourContext = await browser.newContext();
  await signInAs(neighbourContext, neighbour.userId);
  const other = await neighbourContext.newPage();
  await other.goto(`/c/${slug}/t/${threadId}`);
  await other.locator("#opening-post").getByRole("link", { name: "Nora Fischer-Lang" }).click();
  await expect(other).toHaveURL(new RegExp(`/people/${nora.userId}$`));
  await expect(other.getByRole("heading", { level: 1, name: "Nora Fischer-Lang" })).toBeVisible();
  await expect(other.getByText("Spreadsheets are my second home.")).toBeVisible();
  await expect(other.getByRole("region", { name: "Communities you share" }).getByText("Participant")).toBeVisible();
  await expect(other.getByRole("list", { name: "Posts" }).getByRole("link", { name: title })).toBeVisible();
  expect(await other.content()).not.toContain(nora.email);

  // Someone from another community gets the same 404 as for nobody at all.
  const outsiderContext = await browser.newContext();
  await signInAs(outsiderContext, outsider.userId);
  const hidden = await outsiderContext.request.get(`/people/${nora.userId}`);
  const missing = await outsiderContext.request.get("/people/nobody-at-all");
  expect(hidden.status()).toBe(404);
  expect(missing.status()).toBe(404);
  const outsiderPage = await outsiderContext.newPage();
  await outsiderPage.goto(`/people/${nora.userId}`);
  await expect(outsiderPage.getByText("We could not find that person.")).toBeVisible();
  await expect(outsiderPage.getByText("Nora Fischer-Lang")).toHaveCount(0);
  for (const c of [context, neighbourContext, outsiderContext]) await c.close();
});

test("opening a notification marks it read, it looks read, and the bell's count drops", async ({ browser }) => {
  const author = await createUser({ displayName: "Ava Author" });
  const replier = await createUser({ displayName: "Rex Replier" });
  const stranger = await createUser({ displayName: "Sid Stranger" });
  const { slug } = await createActiveCommunity("Notifications journey", [author.userId, replier.userId, stranger.userId]);
  const title = `Ava's thread ${Date.now()}`;
  const threadId = await withDatabase(async (db) => {
    const { threadId } = await startThread(db, { id: author.userId, role: "member" }, slug, { title, body: "Tell me." });
    await replyToThread(db, { id: replier.userId, role: "member" }, slug, threadId, { body: "Here is my answer." });
    return threadId;
  });
  const secondTitle = `Ava's other thread ${Date.now()}`;
  await withDatabase(async (db) => {
    const { threadId: second } = await startThread(db, { id: stranger.userId, role: "member" }, slug, { title: secondTitle, body: "Mine." });
    await replyToThread(db, { id: author.userId, role: "member" }, slug, second, { body: "Noted." });
  });
  const notification = await withDatabase((db) => db.selectFrom("notifications").select("id").where("user_id", "=", author.userId).executeTakeFirstOrThrow());

  const context = await browser.newContext();
  await signInAs(context, author.userId);
  const page = await context.newPage();
  await page.goto("/notifications");
  await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  const item = page.getByRole("listitem").filter({ hasText: `Rex Replier replied to "${title}"` });
  await expect(item.getByText("Unread:")).toBeAttached();
  await expect(item.locator("p.font-semibold")).toBeVisible();

  await item.getByRole("link", { name: `Rex Replier replied to "${title}"` }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${slug}/t/${threadId}`));
  await expect(page.getByText("Here is my answer.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

  await page.goto("/notifications");
  const read = page.getByRole("listitem").filter({ hasText: `Rex Replier replied to "${title}"` });
  await expect(read.getByText("Unread:")).toHaveCount(0);
  await expect(read.getByText("· read")).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark all as read" })).toHaveCount(0);

  // Someone else's notification is not theirs to open (or to learn its link from).
  const strangerContext = await browser.newContext();
  await signInAs(strangerContext, stranger.userId);
  const forged = await strangerContext.request.get(`/notifications/${notification.id}`, { maxRedirects: 0 });
  expect(forged.status()).toBe(404);
  // Mark all read works without JavaScript's help too: the stranger's one unread goes.
  const strangerPage = await strangerContext.newPage();
  await strangerPage.goto("/notifications");
  await expect(strangerPage.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  await strangerPage.getByRole("button", { name: "Mark all as read" }).click();
  await expect(strangerPage.getByText("All marked as read.")).toBeVisible();
  await expect(strangerPage.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
  await context.close();
  await strangerContext.close();
});

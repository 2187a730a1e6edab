import { expect, test } from "@playwright/test";
import { createActiveCommunity, createUser, signInAs, withDatabase } from "./support.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";

test("a participant's search finds their community's posts and never another community's", async ({ browser }) => {
  const word = `kumquat${Date.now().toString(36)}`;
  const reader = await createUser({ displayName: "Sally Searcher" });
  const stranger = await createUser({ displayName: "Other Otto" });
  const mine = await createActiveCommunity("Search mine", [reader.userId]);
  const theirs = await createActiveCommunity("Search theirs", [stranger.userId]);
  await withDatabase(async (db) => {
    const { threadId } = await startThread(db, { id: reader.userId, role: "member" }, mine.slug, { title: `Our ${word} report`, body: `The ${word} numbers are late.` });
    void threadId;
    await startThread(db, { id: stranger.userId, role: "member" }, theirs.slug, { title: `Their private ${word} plan`, body: `Confidential ${word} roadmap.` });
  });

  const context = await browser.newContext();
  await signInAs(context, reader.userId);
  const page = await context.newPage();
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Search" }).fill(word);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  const results = page.getByRole("list", { name: "Results" });
  await expect(results.getByRole("link", { name: `Our ${word} report` })).toBeVisible();
  await expect(results.locator("mark").first()).toHaveText(word);
  await expect(page.getByText("Their private")).toHaveCount(0);
  // Not in the page's data either.
  const html = await (await context.request.get(`/search?q=${word}`)).text();
  expect(html).not.toContain("Their private");
  expect(html).not.toContain("Confidential");
  await results.getByRole("link", { name: `Our ${word} report` }).click();
  await expect(page.getByRole("heading", { name: `Our ${word} report` })).toBeVisible();
  await context.close();
});

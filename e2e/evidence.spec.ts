import { expect, test } from "@playwright/test";
import { BASE_URL, createActiveCommunity, createUser, signInAs, submitIdeaAs, userIdByEmail, withDatabase } from "./support.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { triageItem } from "#app/features/triage/triage.server.ts";
import { answerSuggestion } from "#app/features/suggestions/suggestions.server.ts";

test("a member offered a similar idea votes for it instead; a moderator reads evidence, readout and snippets without Markdown markers; owner and status are saved together", async ({ browser }) => {
  // Three people, two browsers and a dozen pages: longer than one journey's default.
  test.setTimeout(150_000);
  const run = Date.now().toString(36);
  const [ada, ben] = await Promise.all([createUser({ displayName: "Ada Author" }), createUser({ displayName: "Ben Writer" })]);
  const { slug } = await createActiveCommunity(`Evidence journey ${run}`, [ada!.userId, ben!.userId]);
  const ideaTitle = `Dark mode for the reports dashboard ${run}`;
  const ideaId = await submitIdeaAs(slug, ada!.userId, ideaTitle);

  // 1. Ben starts an idea close to Ada's: it is offered while he types, and he votes for it instead.
  const benContext = await browser.newContext();
  await signInAs(benContext, ben!.userId);
  const member = await benContext.newPage();
  await member.goto(`/c/${slug}/ideas`);
  await member.getByLabel("Your idea in one line").fill(`A dark mode for the reports dashboard ${run}`);
  await member.getByLabel("What problem would it solve for you?").fill("The white dashboard hurts my eyes at night.");
  const offer = member.getByRole("region", { name: "Vote for one of these instead?" });
  await expect(offer).toBeVisible();
  await expect(offer.getByRole("link", { name: ideaTitle })).toBeVisible();
  await expect(member.getByRole("button", { name: "Post my idea anyway" })).toBeVisible();
  const vote = offer.getByRole("button", { name: `Vote for ${ideaTitle}` });
  await vote.click();
  await expect(offer.getByRole("button", { name: `Take back your vote for ${ideaTitle}` })).toHaveAttribute("aria-pressed", "true");
  // The vote counted on the server: the idea's page shows it.
  await member.goto(`/c/${slug}/t/${ideaId}`);
  await expect(member.getByRole("button", { name: `Take back your vote for ${ideaTitle}` })).toBeVisible();
  await benContext.close();

  // 2. Evidence written in Markdown, linked to a suggestion, answered in Markdown.
  const mayaId = await userIdByEmail("maya@cohort.example");
  const maya = { id: mayaId, role: "moderator" as const };
  const suggestionTitle = `Explain renewals ${run}`;
  const suggestionId = await withDatabase(async (db) => {
    // Ben writes it: Ada posted her idea seconds ago, inside the posting limit.
    const { threadId } = await startThread(db, { id: ben!.userId, role: "member" }, slug, {
      title: `Renewal shock ${run}`,
      body: `The renewal was **higher than the quote** ${run}.\n\n![screenshot](https://example.com/s.png)`,
    });
    await triageItem(db, maya, { kind: "thread", id: threadId }, { tags: [], suggestion: suggestionTitle });
    const { id } = await db.selectFrom("suggestions").select("id").where("title", "=", suggestionTitle).executeTakeFirstOrThrow();
    await answerSuggestion(db, maya, id, { status: "under-review", answer: "We are **looking into** renewals.", alternative: "", withoutAlternative: false }, { siteOrigin: BASE_URL });
    return id;
  });

  const mayaContext = await browser.newContext();
  await signInAs(mayaContext, mayaId);
  const page = await mayaContext.newPage();
  await page.goto(`/suggestions/${suggestionId}`);
  const evidence = page.getByRole("region", { name: /Evidence/ }).getByRole("listitem").first();
  await expect(evidence).toContainText(`The renewal was higher than the quote ${run}.`);
  await expect(evidence.locator("strong")).toHaveText("higher than the quote");
  await expect(evidence).not.toContainText("**");
  await expect(evidence).not.toContainText("![");

  await page.goto(`/c/${slug}/readout`);
  const answered = page.getByRole("listitem").filter({ hasText: suggestionTitle });
  await expect(answered).toContainText("We are looking into renewals.");
  await expect(answered).not.toContainText("**");

  await page.goto(`/search?q=${encodeURIComponent(`quote ${run}`)}`);
  const result = page.getByRole("list", { name: "Results" }).getByRole("listitem").filter({ hasText: `Renewal shock ${run}` });
  await expect(result).toContainText("higher than the quote");
  await expect(result).toContainText("[image: screenshot]");
  await expect(result).not.toContainText("**");
  await expect(result).not.toContainText("](");

  // 3. Choosing an owner and then saving the status keeps both.
  await page.goto(`/suggestions/${suggestionId}`);
  await page.getByLabel("Owner").selectOption({ label: "Priya Raman" });
  await page.getByLabel("Status").selectOption({ label: "Planned" });
  await page.getByRole("button", { name: "Save suggestion" }).click();
  await expect(page.getByRole("status")).toContainText("Saved status “Planned” and owner “Priya Raman”");
  await page.reload();
  await expect(page.getByText("Owner: Priya Raman")).toBeVisible();
  await expect(page.getByLabel("Status")).toHaveValue("planned");
  await expect(page.getByLabel("Owner")).toHaveValue(await userIdByEmail("priya@cohort.example"));
  await mayaContext.close();
});

test("without JavaScript, sending an idea like an existing one offers it first, keeping the draft", async ({ browser }) => {
  const run = Date.now().toString(36);
  const [ada, ben] = await Promise.all([createUser({ displayName: "Ada NoScript" }), createUser({ displayName: "Ben NoScript" })]);
  const { slug } = await createActiveCommunity(`Evidence noscript ${run}`, [ada!.userId, ben!.userId]);
  const ideaTitle = `Calendar sync with Outlook ${run}`;
  await submitIdeaAs(slug, ada!.userId, ideaTitle);
  const context = await browser.newContext({ javaScriptEnabled: false });
  await signInAs(context, ben!.userId);
  const page = await context.newPage();
  await page.goto(`/c/${slug}/ideas`);
  await page.getByLabel("Your idea in one line").fill(`Outlook calendar sync ${run}`);
  await page.getByLabel("What problem would it solve for you?").fill("My meetings are not in the calendar.");
  await page.getByRole("button", { name: "Share idea" }).click();
  await expect(page.getByRole("region", { name: "Vote for one of these instead?" }).getByRole("link", { name: ideaTitle })).toBeVisible();
  await expect(page.getByLabel("Your idea in one line")).toHaveValue(`Outlook calendar sync ${run}`);
  // Posting anyway now goes through.
  await page.getByRole("button", { name: "Post my idea anyway" }).click();
  await expect(page.getByRole("heading", { name: `Outlook calendar sync ${run}` })).toBeVisible();
  await context.close();
});

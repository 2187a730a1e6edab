import { expect, test, type Page } from "@playwright/test";
import { BASE_URL, createActiveCommunity, createUser, signInAs, submitIdeaAs, userIdByEmail, withDatabase } from "./support.ts";

const voteButton = (page: Page, title: string) => page.getByRole("button", { name: new RegExp(`^(Vote for|Take back your vote for|Voted for) ${title}(, \\d+ votes?|: take back your vote)?$`) });

for (const javaScriptEnabled of [true, false]) {
  test(`a member votes and takes the vote back (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser }) => {
    const voter = await createUser({ displayName: "Vera Voter" });
    const author = await createUser({ displayName: "Ida Idea" });
    const { slug } = await createActiveCommunity(`Voting ${javaScriptEnabled ? "js" : "nojs"}`, [voter.userId, author.userId], { voteBudget: 5 });
    await submitIdeaAs(slug, author.userId, "Keyboard shortcuts");
    const context = await browser.newContext({ javaScriptEnabled });
    await signInAs(context, voter.userId);
    const page = await context.newPage();
    await page.goto(`/c/${slug}/ideas`);
    await expect(page.getByText("5 of 5 votes left")).toBeVisible();
    const button = voteButton(page, "Keyboard shortcuts");
    await expect(button).toHaveAttribute("aria-pressed", "false");
    await expect(button).toContainText("0");
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(button).toContainText("1");
    await expect(page.getByText("4 of 5 votes left")).toBeVisible();
    // It is stored, not just shown.
    await page.reload();
    await expect(voteButton(page, "Keyboard shortcuts")).toHaveAttribute("aria-pressed", "true");
    await voteButton(page, "Keyboard shortcuts").click();
    await expect(voteButton(page, "Keyboard shortcuts")).toHaveAttribute("aria-pressed", "false");
    await expect(voteButton(page, "Keyboard shortcuts")).toContainText("0");
    await expect(page.getByText("5 of 5 votes left")).toBeVisible();
    await page.reload();
    await expect(voteButton(page, "Keyboard shortcuts")).toContainText("0");
    await context.close();
  });
}

test("an exhausted budget says so and the refused vote does not stick", async ({ browser }) => {
  const voter = await createUser({ displayName: "Bea Budget" });
  const authors = await Promise.all([1, 2, 3].map((i) => createUser({ displayName: `Author ${i}` })));
  const { slug } = await createActiveCommunity("Budget journey", [voter.userId, ...authors.map((a) => a.userId)], { voteBudget: 2 });
  for (const [i, author] of authors.entries()) await submitIdeaAs(slug, author.userId, `Budget idea ${i + 1}`);
  const context = await browser.newContext();
  await signInAs(context, voter.userId);
  const page = await context.newPage();
  await page.goto(`/c/${slug}/ideas?sort=new`);
  await voteButton(page, "Budget idea 1").click();
  await expect(page.getByText("1 of 2 votes left")).toBeVisible();
  await voteButton(page, "Budget idea 2").click();
  await expect(page.getByText("0 of 2 votes left")).toBeVisible();
  await voteButton(page, "Budget idea 3").click();
  await expect(page.getByRole("alert")).toHaveText("You have used all 2 of your votes. Take one back from another idea to vote for this one.");
  await expect(voteButton(page, "Budget idea 3")).toHaveAttribute("aria-pressed", "false");
  await expect(voteButton(page, "Budget idea 3")).toContainText("0");
  // Taking one back frees it.
  await voteButton(page, "Budget idea 1").click();
  await expect(page.getByText("1 of 2 votes left")).toBeVisible();
  await voteButton(page, "Budget idea 3").click();
  await expect(voteButton(page, "Budget idea 3")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("0 of 2 votes left")).toBeVisible();
  await context.close();
});

test("hidden vote counts are hidden from participants and shown to staff", async ({ browser }) => {
  const member = await createUser({ displayName: "Hana Hidden" });
  const author = await createUser({ displayName: "Otto Other" });
  const { slug } = await createActiveCommunity("Hidden journey", [member.userId, author.userId], { hideVoteCounts: true });
  const ideaId = await submitIdeaAs(slug, author.userId, "Secret favourite");
  const authorContext = await browser.newContext();
  await signInAs(authorContext, author.userId);
  const cast = await authorContext.request.post(`/c/${slug}/ideas`, { form: { intent: "vote", ideaId }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(cast.status()).toBe(302);

  const context = await browser.newContext();
  await signInAs(context, member.userId);
  const page = await context.newPage();
  await page.goto(`/c/${slug}/ideas`);
  await expect(page.getByText("Vote counts stay hidden until the community closes")).toBeVisible();
  await expect(voteButton(page, "Secret favourite")).toHaveText(/Vote$/);
  await expect(page.getByRole("link", { name: "Top" })).toHaveCount(0);
  // Not in the page's data either.
  expect((await (await context.request.get(`/c/${slug}/ideas?sort=top`)).text()).match(/"votes":\s*1/)).toBeNull();

  const staff = await browser.newContext();
  await signInAs(staff, await userIdByEmail("maya@cohort.example"));
  const staffPage = await staff.newPage();
  await staffPage.goto(`/c/${slug}/ideas?sort=top`);
  await expect(voteButton(staffPage, "Secret favourite")).toContainText("1");
  for (const c of [authorContext, context, staff]) await c.close();
});

test("merging a duplicate keeps each member's vote once", async ({ browser }) => {
  const both = await createUser({ displayName: "Bo Both" });
  const dupeFan = await createUser({ displayName: "Dee Dupe" });
  const authorA = await createUser({ displayName: "Ann Original" });
  const authorB = await createUser({ displayName: "Ben Duplicate" });
  const { slug } = await createActiveCommunity("Merge journey", [both.userId, dupeFan.userId, authorA.userId, authorB.userId], { voteBudget: 3 });
  const original = await submitIdeaAs(slug, authorA.userId, "Bulk edit rows");
  const duplicate = await submitIdeaAs(slug, authorB.userId, "Edit many rows at once");
  for (const [user, ideas] of [
    [both, [original, duplicate]],
    [dupeFan, [duplicate]],
  ] as const) {
    const c = await browser.newContext();
    await signInAs(c, user.userId);
    for (const ideaId of ideas) {
      const r = await c.request.post(`/c/${slug}/ideas`, { form: { intent: "vote", ideaId }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
      expect(r.status()).toBe(302);
    }
    await c.close();
  }

  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, await userIdByEmail("maya@cohort.example"));
  const moderator = await moderatorContext.newPage();
  await moderator.goto(`/c/${slug}/t/${duplicate}`);
  await moderator.getByLabel("Merge this duplicate into").selectOption({ label: "Bulk edit rows" });
  await moderator.getByRole("button", { name: "Merge" }).click();
  await expect(moderator.getByText("This idea was merged into")).toBeVisible();
  await moderator.getByRole("link", { name: "Bulk edit rows" }).click();
  await expect(moderator.getByText("2 votes")).toBeVisible();

  // Bo voted for both: one vote remains, and one of his three comes back.
  const context = await browser.newContext();
  await signInAs(context, both.userId);
  const page = await context.newPage();
  await page.goto(`/c/${slug}/ideas`);
  await expect(voteButton(page, "Bulk edit rows")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("2 of 3 votes left")).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit many rows at once" })).toHaveCount(0);
  const rows = await withDatabase((db) => db.selectFrom("votes").select(["idea_id", "user_id"]).where("idea_id", "in", [original, duplicate]).execute());
  expect(rows.filter((r) => r.idea_id === original).map((r) => r.user_id).sort()).toEqual([both.userId, dupeFan.userId].sort());
  expect(rows.filter((r) => r.idea_id === duplicate)).toEqual([]);
  for (const c of [moderatorContext, context]) await c.close();
});

test("50 simultaneous vote requests by one member across both server processes leave one vote", async ({ browser }) => {
  const voter = await createUser({ displayName: "Rapid Clicker" });
  const author = await createUser({ displayName: "Calm Author" });
  const { slug } = await createActiveCommunity("Race journey", [voter.userId, author.userId], { voteBudget: 10 });
  const ideaId = await submitIdeaAs(slug, author.userId, "Race me");
  const context = await browser.newContext();
  await signInAs(context, voter.userId);
  const responses = await Promise.all(
    Array.from({ length: 50 }, () => context.request.post(`/c/${slug}/ideas`, { form: { intent: "vote", ideaId, via: "js" }, headers: { Origin: BASE_URL }, maxRedirects: 0 })),
  );
  expect(responses.map((r) => r.status()).filter((s) => s !== 200)).toEqual([]);
  const votes = await withDatabase((db) => db.selectFrom("votes").selectAll().where("idea_id", "=", ideaId).execute());
  expect(votes).toHaveLength(1);
  const counts = await withDatabase((db) => db.selectFrom("ideas").innerJoin("memberships", (j) => j.onRef("memberships.community_id", "=", "ideas.community_id").on("memberships.user_id", "=", voter.userId)).select(["ideas.vote_count", "memberships.votes_used"]).where("ideas.thread_id", "=", ideaId).executeTakeFirstOrThrow());
  expect(counts).toEqual({ vote_count: 1, votes_used: 1 });
  await context.close();
});

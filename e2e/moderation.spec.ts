import { expect, test } from "@playwright/test";
import { BASE_URL, createActiveCommunity, createUser, signInAs, userIdByEmail } from "./support.ts";

test("a member edits and flags with JavaScript off; a moderator hides the flagged reply, pins and locks the thread; the author is told", async ({ browser }) => {
  const author = await createUser({ displayName: "Avery Author" });
  const flagger = await createUser({ displayName: "Fran Flagger" });
  const { slug } = await createActiveCommunity("Moderation journey", [author.userId, flagger.userId]);
  const title = `Exports break on Mondays ${Date.now()}`;

  // The author, without JavaScript: starts a thread, replies, and edits the reply.
  const authorContext = await browser.newContext({ javaScriptEnabled: false });
  await signInAs(authorContext, author.userId);
  const page = await authorContext.newPage();
  await page.goto(`/c/${slug}`);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("What do you want to say?").fill("Every Monday the export times out.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const threadUrl = new URL(page.url()).pathname;
  await page.getByLabel("Your reply").fill("Call me on 555-0100 about it.");
  await page.getByRole("button", { name: "Post reply" }).click();
  const reply = page.locator("li", { hasText: "Call me on 555-0100" });
  await reply.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Your post").fill("Call me on 555-0100 about it, any weekday.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Call me on 555-0100 about it, any weekday.")).toBeVisible();
  await expect(page.locator("li", { hasText: "any weekday" }).getByText("edited")).toBeVisible();

  // Another member, without JavaScript, flags the reply with a reason.
  const flaggerContext = await browser.newContext({ javaScriptEnabled: false });
  await signInAs(flaggerContext, flagger.userId);
  const other = await flaggerContext.newPage();
  await other.goto(threadUrl);
  await other.locator("li", { hasText: "any weekday" }).getByRole("link", { name: "Flag" }).click();
  // No reason is chosen for the member: they pick one.
  for (const reason of ["Spam or advertising", "Something else"]) await expect(other.getByLabel(reason)).not.toBeChecked();
  await other.getByLabel("Shares someone's personal data").check();
  await other.getByLabel("Anything the moderators should know (optional)").fill("A phone number, in public.");
  await other.getByRole("button", { name: "Send to moderators" }).click();
  // The thanks stands beside the post the page opens at, and the post cannot be flagged twice.
  const flaggedReply = other.locator("li", { hasText: "any weekday" });
  await expect(flaggedReply.getByRole("status")).toHaveText(/You flagged this post\. Thank you/);
  await expect(flaggedReply.getByRole("status")).toBeInViewport();
  await expect(flaggedReply.getByRole("link", { name: "Flag" })).toHaveCount(0);

  // The moderator finds it in the queue and hides it.
  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, await userIdByEmail("maya@cohort.example"));
  const moderator = await moderatorContext.newPage();
  await moderator.goto("/");
  await moderator.locator("header").getByRole("link", { name: /^Moderation/ }).click();
  await expect(moderator.getByRole("heading", { name: "Moderation" })).toBeVisible();
  await moderator.goto(`/moderation?community=${slug}`);
  const item = moderator.getByRole("listitem", { name: "Flagged post by Avery Author" });
  await expect(item.getByText("Shares someone's personal data")).toBeVisible();
  await expect(item.getByText("A phone number, in public.")).toBeVisible();
  await item.getByRole("button", { name: "Hide" }).click();
  await expect(moderator.getByText("Nothing waiting.")).toBeVisible();
  // The page says what happened and offers an undo, which restores the post.
  const result = moderator.getByRole("status").filter({ hasText: "Post hidden" });
  await expect(result).toContainText("Its author and whoever flagged it were told.");
  await result.getByRole("button", { name: "Undo" }).click();
  await expect(moderator.getByRole("status").filter({ hasText: "Post restored" })).toBeVisible();
  await moderator.goto(threadUrl);
  await moderator.locator("li", { hasText: "any weekday" }).getByRole("button", { name: "Hide" }).click();

  // On the thread the moderator still reads it, marked; then pins and locks the thread.
  await moderator.goto(threadUrl);
  await expect(moderator.getByText("Hidden by a moderator. Only moderators see the text below.")).toBeVisible();
  await moderator.getByRole("button", { name: "Pin to top" }).click();
  await expect(moderator.getByRole("button", { name: "Unpin" })).toBeVisible();
  await moderator.getByRole("button", { name: "Lock" }).click();
  await expect(moderator.getByRole("button", { name: "Unlock" })).toBeVisible();
  await expect(moderator.getByText("Pinned", { exact: true })).toBeVisible();
  await expect(moderator.getByText("Locked", { exact: true })).toBeVisible();

  // The author is told, sees the reply hidden, and the thread takes no more replies.
  await page.goto("/notifications");
  // Hidden, restored by the undo, hidden again: told each time.
  await expect(page.getByText(`A moderator hid your post in "${title}" in Moderation journey.`)).toHaveCount(2);
  await expect(page.getByText(`A moderator restored your post in "${title}"`)).toBeVisible();
  await page.goto(threadUrl);
  await expect(page.getByText("Hidden by a moderator.")).toBeVisible();
  await expect(page.getByText("555-0100")).toHaveCount(0);
  await expect(page.getByText("This thread is locked; it takes no new replies.")).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
  // The hidden text is not in the page at all, not merely out of sight.
  expect(await (await authorContext.request.get(threadUrl)).text()).not.toContain("555-0100");

  // The flagger hears the outcome; the list shows the thread pinned; a forged reply is refused.
  await other.goto("/notifications");
  await expect(other.getByText(`A moderator hid a post you flagged in "${title}"`).first()).toBeVisible();
  await other.goto(`/c/${slug}`);
  await expect(other.getByRole("listitem").filter({ hasText: title }).getByText("Pinned")).toBeVisible();
  const forged = await flaggerContext.request.post(threadUrl, { form: { intent: "reply", body: "Sneaking in" }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("This thread is locked; it takes no new replies.");

  for (const context of [authorContext, flaggerContext, moderatorContext]) await context.close();
});

test("participants cannot moderate, lead or see the queue", async ({ browser }) => {
  const member = await createUser({ displayName: "Nosy Member" });
  const { slug } = await createActiveCommunity("Access journey", [member.userId]);
  const context = await browser.newContext();
  await signInAs(context, member.userId);
  expect((await context.request.get("/moderation")).status()).toBe(403);
  const page = await context.newPage();
  await page.goto(`/c/${slug}`);
  await expect(page.getByText("Post as a research prompt")).toHaveCount(0);
  // A forged prompt is refused by the policy, not just hidden from the form.
  const forged = await context.request.post(`/c/${slug}?index`, {
    form: { title: "Forged prompt", body: "x", prompt: "on", masked: "on" },
    headers: { Origin: BASE_URL },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("Only moderators and discussion leaders can do this.");
  await context.close();
});

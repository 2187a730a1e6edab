import { expect, test } from "@playwright/test";
import { demoIds } from "./pages.ts";
import { BASE_URL, addParticipant, createActiveCommunity, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";


async function threadCount(slug: string): Promise<number> {
  return withDatabase(async (db) => {
    const rows = await db.selectFrom("threads").innerJoin("communities", "communities.id", "threads.community_id").select("threads.id").where("communities.slug", "=", slug).execute();
    return rows.length;
  });
}

test("a participant's write is refused over HTTP before a community opens and after it closes, and writes nothing", async ({ browser }) => {
  // June belongs to the upcoming mobile-onboarding community and the closed integrations council.
  const context = await browser.newContext();
  await signInAs(context, await userIdByEmail("june@customer.example"));
  const cases = [
    { slug: "mobile-onboarding", message: /This community opens on .+; you can take part from then\./ },
    { slug: "integrations-council", message: /This community closed on .+; it is read only\./ },
  ];
  for (const { slug, message } of cases) {
    const before = await threadCount(slug);
    const response = await context.request.post(`/c/${slug}?index`, {
      form: { title: "Am I allowed?", body: "Trying to post outside the time box." },
      headers: { Origin: BASE_URL },
      maxRedirects: 0,
    });
    expect(response.status(), slug).toBe(403);
    expect(await response.text(), slug).toMatch(message);
    expect(await threadCount(slug), slug).toBe(before);
  }
  // The page says the same, instead of offering a form.
  const page = await context.newPage();
  await page.goto("/c/integrations-council");
  await expect(page.getByText(/This community closed on .+; it is read only\./).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Post thread" })).toHaveCount(0);
  await page.getByRole("link", { name: "The calendar sync drops recurring events" }).click();
  await expect(page.getByText("We see the same with the Outlook connector.")).toBeVisible();
  // Read only: June started this thread, yet nothing on it can be written, edited or removed.
  await expect(page.getByRole("status").filter({ hasText: /This community closed on .+; it is read only\./ })).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Post reply" })).toHaveCount(0);
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
  for (const action of ["Edit", "Quote"]) await expect(page.getByRole("link", { name: action })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await context.close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`a participant starts a thread and another replies (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser }) => {
    const author = await createUser({ displayName: `Tess Thread ${javaScriptEnabled ? "js" : "nojs"}` });
    const replier = await createUser({ displayName: `Rory Reply ${javaScriptEnabled ? "js" : "nojs"}` });
    for (const user of [author, replier]) await addParticipant("reporting-beta", user.userId);
    const title = `Dashboards load slowly ${Date.now()} ${javaScriptEnabled}`;
    const authorContext = await browser.newContext({ javaScriptEnabled });
    await signInAs(authorContext, author.userId);
    const page = await authorContext.newPage();
    await page.goto("/c/reporting-beta");
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("What do you want to say?").fill("Opening the **sales** dashboard takes 20 seconds.");
    await page.getByRole("button", { name: "Post thread" }).click();
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
    await expect(page.locator("strong", { hasText: "sales" })).toBeVisible();
    const threadUrl = page.url();

    const replierContext = await browser.newContext({ javaScriptEnabled });
    await signInAs(replierContext, replier.userId);
    const other = await replierContext.newPage();
    await other.goto("/c/reporting-beta");
    await other.getByRole("link", { name: title }).click();
    await other.getByLabel("Your reply").fill("Same for me, mostly on Mondays.");
    // A marker on the window survives only if the page is not reloaded.
    if (javaScriptEnabled) await other.evaluate(() => Object.assign(window, { __samePage: true }));
    await other.getByRole("button", { name: "Post reply" }).click();
    await expect(other.getByRole("heading", { name: "1 reply" })).toBeVisible();
    await expect(other.getByText("Same for me, mostly on Mondays.")).toBeVisible();
    await expect(other.getByLabel("Your reply")).toHaveValue("");
    if (javaScriptEnabled) expect(await other.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);

    await page.goto(threadUrl);
    await expect(page.getByText("Same for me, mostly on Mondays.")).toBeVisible();
    await authorContext.close();
    await replierContext.close();
  });
}

test("a refused reply is said at the reply form, where the writer is looking, and keeps what was typed", async ({ browser }) => {
  const replier = await createUser({ displayName: "Rhea Refused" });
  await addParticipant("reporting-beta", replier.userId);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await signInAs(context, replier.userId);
  const page = await context.newPage();
  // The demo's longest thread: its reply form is far below the top of the page.
  await page.goto(`/c/reporting-beta/t/${(await demoIds()).thread}`);
  // Only spaces: the browser's `required` lets it through, the server refuses it.
  const box = page.getByLabel(/^Your (reply|answer)$/);
  await box.fill("   ");
  await page.getByRole("button", { name: /^Post (reply|my answer)$/ }).click();
  const refusal = page.locator("#reply-form").getByRole("alert");
  await expect(refusal).toHaveText("Write your reply");
  await expect(refusal).toBeInViewport();
  await expect(page.locator("main > [role=alert]")).toHaveCount(0);
  await expect(box).toHaveValue("   ");
  await context.close();
});

test("a masked prompt hides other answers until the participant has answered", async ({ browser }) => {
  const first = await createUser({ displayName: "Mika First" });
  const second = await createUser({ displayName: "Noor Second" });
  const { slug } = await createActiveCommunity("Masked journey", [first.userId, second.userId]);
  const title = `Which report would you keep? ${Date.now()}`;

  // The moderator posts a masked research prompt.
  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, await userIdByEmail("maya@cohort.example"));
  const moderator = await moderatorContext.newPage();
  await moderator.goto(`/c/${slug}`);
  await moderator.getByLabel("Title").fill(title);
  await moderator.getByLabel("What do you want to say?").fill("Answer before you read the others.");
  await moderator.getByLabel(/Post as a research prompt/).check();
  await moderator.getByLabel(/Masked/).check();
  await moderator.getByRole("button", { name: "Post thread" }).click();
  await expect(moderator.getByRole("heading", { name: title })).toBeVisible();
  await expect(moderator.getByText("Research prompt", { exact: true })).toBeVisible();

  // The first participant is notified, sees it stand out and marked new, and answers.
  const firstContext = await browser.newContext();
  await signInAs(firstContext, first.userId);
  const one = await firstContext.newPage();
  await one.goto("/notifications");
  await expect(one.getByText(`New research prompt in Masked journey: "${title}"`)).toBeVisible();
  await one.goto(`/c/${slug}`);
  const row = one.getByRole("listitem").filter({ hasText: title });
  await expect(row.getByText("Research prompt")).toBeVisible();
  await expect(row.getByText("New (unread)")).toBeVisible();
  await row.getByRole("link", { name: title }).click();
  await expect(one.getByText("you will see the other answers once you have posted yours")).toBeVisible();
  await one.getByLabel("Your answer").fill("The weekly revenue report.");
  await one.getByRole("button", { name: "Post my answer" }).click();
  await expect(one.getByText("The weekly revenue report.")).toBeVisible();

  // The second does not see it, in the page or in its source, until answering too.
  const secondContext = await browser.newContext();
  await signInAs(secondContext, second.userId);
  const two = await secondContext.newPage();
  await two.goto(`/c/${slug}`);
  await two.getByRole("link", { name: title }).click();
  await expect(two.getByRole("heading", { name: "1 reply" })).toBeVisible();
  await expect(two.getByText("you will see the other answers once you have posted yours")).toBeVisible();
  await expect(two.getByText("The weekly revenue report.")).toHaveCount(0);
  expect(await (await secondContext.request.get(new URL(two.url()).pathname)).text()).not.toContain("weekly revenue");
  await two.getByLabel("Your answer").fill("The pipeline dashboard.");
  await two.getByRole("button", { name: "Post my answer" }).click();
  await expect(two.getByText("The weekly revenue report.")).toBeVisible();
  await expect(two.getByText("The pipeline dashboard.")).toBeVisible();

  // Now they can quote each other: select a passage, press Quote, and the reply box holds it.
  await two.getByText("The weekly revenue report.").selectText();
  await two.getByRole("listitem").filter({ hasText: "The weekly revenue report." }).getByRole("link", { name: "Quote" }).click();
  await expect(two.getByLabel("Your reply")).toHaveValue(`> **[Mika First](/people/${first.userId})** wrote:\n>\n> The weekly revenue report.\n\n`);

  // Staff saw every answer all along.
  await moderator.reload();
  await expect(moderator.getByText("The weekly revenue report.")).toBeVisible();
  for (const context of [moderatorContext, firstContext, secondContext]) await context.close();
});

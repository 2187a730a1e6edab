import { expect, test } from "@playwright/test";
import { BASE_URL, addParticipant, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";


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
  await expect(page.getByRole("button", { name: "Post reply" })).toHaveCount(0);
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
    await other.getByRole("button", { name: "Post reply" }).click();
    await expect(other.getByRole("heading", { name: "1 reply" })).toBeVisible();
    await expect(other.getByText("Same for me, mostly on Mondays.")).toBeVisible();
    await expect(other.getByLabel("Your reply")).toHaveValue("");

    await page.goto(threadUrl);
    await expect(page.getByText("Same for me, mostly on Mondays.")).toBeVisible();
    await authorContext.close();
    await replierContext.close();
  });
}

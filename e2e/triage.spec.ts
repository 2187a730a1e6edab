import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { BASE_URL, createActiveCommunity, createUser, signInAs, submitIdeaAs, userIdByEmail, withDatabase } from "./support.ts";
import { castVote } from "#app/features/ideas/ideas.server.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";

/*
 * One story in three steps that share arranged data, each its own test (run in order), so
 * none opens more than two browsers or needs more than half its time limit on a slow machine:
 * a moderator triages with the keyboard; a product reviewer filters, reads the evidence and
 * declines; the contributors see the answer.
 */
test.describe.serial("from feedback to an answer", () => {
  const run = Date.now().toString(36);
  const tag = `sheets-${run}`;
  const title = `Spreadsheet-ready exports ${run}`;
  let slug: string;
  let ideaId: string;
  let people: Awaited<ReturnType<typeof createUser>>[];

  test.beforeAll(async () => {
    people = await Promise.all(["Ivy Idea", "Theo Thread", "Rhea Report", "Dan Dismiss", "Val Voter", "Wes Voter"].map((displayName) => createUser({ displayName })));
    const [ivy, theo, rhea, dan, val, wes] = people;
    ({ slug } = await createActiveCommunity(`Triage journey ${run}`, people.map((p) => p.userId)));
    // Feedback: an idea with three votes (it scores highest), and three threads.
    ideaId = await submitIdeaAs(slug, ivy!.userId, "Export straight to Google Sheets");
    await withDatabase(async (db) => {
      for (const voter of [val!, wes!, theo!]) await castVote(db, { id: voter.userId, role: "member" }, slug, ideaId, true);
      const long = "It happens every week, costs our team about an hour each time, and the numbers we send to finance are wrong whenever someone forgets a step.";
      for (const [author, title, body] of [
        [theo!, "Our finance team re-types every export", long],
        // Different texts: identical ones would be grouped as likely duplicates.
        [rhea!, "CSV exports lose the currency symbol", "The currency symbol goes missing when I open the export in Excel, so every figure needs checking by hand."],
        // Short and bland, so it scores lowest (docs/decisions/022): the one to dismiss.
        [dan!, "Great webinar last week", "Saw it."],
      ] as const) {
        await startThread(db, { id: author.userId, role: "member" }, slug, { title, body });
      }
    });
  });

  test("a moderator triages with the keyboard", async ({ browser }) => {
    const moderatorContext = await browser.newContext();
    await signInAs(moderatorContext, await userIdByEmail("maya@cohort.example"));
    const page = await moderatorContext.newPage();
    await page.goto(`/triage?community=${slug}`);
    const items = page.getByRole("list", { name: "Feedback" }).getByRole("listitem");
    await expect(items).toHaveCount(4);
    // Ordered by passion: the bland thank-you comes last.
    await expect(items.last()).toContainText("Great webinar last week");
    await expect(page.getByRole("article")).not.toContainText("Great webinar last week");

    // The help sheet opens with ? and closes with Escape.
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);

    const done = page.getByRole("status").filter({ hasText: "Done:" });
    // 1 and 2: tag (t), move to the link field (Tab), name the suggestion, Enter.
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press("t");
      await page.keyboard.type(tag);
      await page.keyboard.press("Tab");
      await page.keyboard.type(title);
      await page.keyboard.press("Enter");
      await expect(items).toHaveCount(3 - i);
      await expect(done).toContainText(i === 0 ? `created and linked "${title}"` : `linked to "${title}"`);
      await page.keyboard.press("Escape");
    }
    // 3: link only (l).
    await page.keyboard.press("l");
    await page.keyboard.type(title);
    await page.keyboard.press("Enter");
    await expect(items).toHaveCount(1);
    await page.keyboard.press("Escape");
    // 4: dismiss (d) with a reason.
    await page.keyboard.press("d");
    await page.keyboard.type("A thank-you, no product feedback");
    await page.keyboard.press("Enter");
    await expect(page.getByText("every piece of feedback in this view is triaged")).toBeVisible();
    const dismissed = await withDatabase((db) => db.selectFrom("triage_items").innerJoin("threads", "threads.id", "triage_items.post_id").select(["threads.title", "triage_items.reason"]).where("triage_items.state", "=", "dismissed").where("threads.title", "=", "Great webinar last week").execute());
    expect(dismissed).toEqual([{ title: "Great webinar last week", reason: "A thank-you, no product feedback" }]);
    await expect(done).toContainText("Dismissed");
    await moderatorContext.close();
  });

  test("a product reviewer filters, reads the evidence and declines", async ({ browser }) => {
    // The product reviewer filters the board by the tag and opens the suggestion.
    const productContext = await browser.newContext();
    await signInAs(productContext, await userIdByEmail("priya@cohort.example"));
    const board = await productContext.newPage();
    await board.goto("/suggestions");
    // The tag list shows each tag with its count; choosing one filters the board.
    await board.getByRole("navigation", { name: "Tags" }).getByRole("link", { name: new RegExp(tag) }).click();
    await expect(board.getByLabel("Tag", { exact: true })).toHaveValue(/.+/);
    await expect(board.getByRole("row")).toHaveCount(2);
    await board.getByRole("link", { name: title }).click();
    await expect(board.getByRole("heading", { name: "Evidence (3)" })).toBeVisible();
    // Every piece of evidence links back to its source.
    const links = board.getByRole("link", { name: /^Source: / });
    await expect(links).toHaveCount(3);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
      const response = await productContext.request.get(href);
      expect(response.status(), href).toBe(200);
    }
    // Members: the three authors and the idea's other voters.
    await expect(board.getByRole("group", { name: "Members" })).toContainText("5");

    // Declining asks for a reason and an alternative.
    await board.getByLabel("Status").selectOption("declined");
    await board.getByLabel(/Public answer/).fill("Not now: Sheets export needs a partnership we do not have yet.");
    await board.getByRole("button", { name: "Save suggestion" }).click();
    await expect(board.getByRole("alert")).toContainText("Offer an alternative");
    await board.getByLabel("Status").selectOption("declined");
    await board.getByLabel(/Public answer/).fill("Not now: Sheets export needs a partnership we do not have yet.");
    await board.getByLabel("What can contributors do instead?").fill("Use the CSV export with Sheets' import; it keeps currencies.");
    await board.getByRole("button", { name: "Save suggestion" }).click();
    await expect(board.getByRole("status")).toContainText("contributors told in the app and by email");
    await productContext.close();
  });

  test("the contributors see the answer in the app and by email", async ({ browser }) => {
    const [ivy, theo, rhea, , val, wes] = people;
    // The idea's author sees the answer on the idea and in the notifications; so does a voter.
    for (const person of [ivy!, val!]) {
      const context = await browser.newContext();
      await signInAs(context, person.userId);
      const mine = await context.newPage();
      await mine.goto(`/c/${slug}/t/${ideaId}`);
      await expect(mine.getByText("The product team:")).toBeVisible();
      await expect(mine.getByText("Declined", { exact: true })).toBeVisible();
      await expect(mine.getByText("Not now: Sheets export needs a partnership")).toBeVisible();
      await mine.goto("/notifications");
      await expect(mine.getByText(`The product team answered feedback you gave: Declined: "${title}"`)).toBeVisible();
      await context.close();
    }
    // And by email, through the outbox.
    const mail = await withDatabase((db) => db.selectFrom("outbox").select(["to_address", "subject"]).where("subject", "=", `Your feedback was answered: ${title}`).execute());
    expect(mail.map((m) => m.to_address).sort()).toEqual([ivy!, theo!, rhea!, val!, wes!].map((p) => p.email).sort());
  });
});

test("participants cannot reach triage, suggestions, staff notes or the audit log; product reviewers cannot post or triage", async ({ browser }) => {
  const member = await createUser({ displayName: "Curious Participant" });
  const { slug } = await createActiveCommunity("Access to staff pages", [member.userId]);
  const suggestion = await withDatabase((db) => db.selectFrom("suggestions").select(["id", "staff_notes"]).where("staff_notes", "is not", null).executeTakeFirstOrThrow());
  const context = await browser.newContext();
  await signInAs(context, member.userId);
  for (const path of ["/triage", "/suggestions", `/suggestions/${suggestion.id}`, "/suggestions.csv", "/audit", "/tags"]) {
    expect((await context.request.get(path)).status(), path).toBe(404);
  }
  for (const [path, form] of [
    ["/triage", { intent: "dismiss", kind: "thread", id: "x", reason: "nope" }],
    [`/suggestions/${suggestion.id}`, { intent: "answer", status: "shipped", answer: "hacked" }],
    ["/audit", { auditId: "x" }],
  ] as const) {
    const response = await context.request.post(path, { form, headers: { Origin: BASE_URL }, maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
  }
  // Staff notes never reach a participant's page, even where the suggestion's answer shows.
  const idea = await withDatabase((db) => db.selectFrom("ideas").innerJoin("communities", "communities.id", "ideas.community_id").select(["ideas.thread_id", "communities.slug"]).where("ideas.suggestion_id", "=", suggestion.id).executeTakeFirst());
  if (idea) {
    const sam = await browser.newContext();
    await signInAs(sam, await userIdByEmail("lena@customer.example"));
    const html = await (await sam.request.get(`/c/${idea.slug}/t/${idea.thread_id}`)).text();
    expect(html).not.toContain(suggestion.staff_notes!);
    await sam.close();
  }

  const product = await browser.newContext();
  await signInAs(product, await userIdByEmail("priya@cohort.example"));
  expect((await product.request.get("/triage")).status()).toBe(403);
  expect((await product.request.get("/audit")).status()).toBe(403);
  expect((await product.request.get(`/c/${slug}`)).status()).toBe(200);
  const post = await product.request.post(`/c/${slug}?index`, { form: { title: "Reviewer post", body: "x" }, headers: { Origin: BASE_URL }, maxRedirects: 0 });
  expect(post.status()).toBe(403);
  expect(await post.text()).toContain("Product reviewers read communities but do not post in them.");
  await context.close();
  await product.close();
});

test("the CSV export opens as a spreadsheet: one row per suggestion with its evidence", async ({ browser }) => {
  const context = await browser.newContext();
  await signInAs(context, await userIdByEmail("priya@cohort.example"));
  const response = await context.request.get("/suggestions.csv?sort=recent");
  expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="cohort-suggestions-\d{4}-\d{2}-\d{2}\.csv"$/);
  const body = await response.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheets read UTF-8
  const rows = parse(body, { bom: true, columns: true }) as Record<string, string>[];
  const count = await withDatabase(async (db) => Number((await db.selectFrom("suggestions").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n));
  expect(rows).toHaveLength(count);
  const sync = rows.find((r) => r.Title === "Sync recurring calendar events")!;
  expect(sync).toMatchObject({ Status: "Shipped", Tags: "Integrations", Quotes: "3" });
  expect(sync.Evidence!.split("\n")).toHaveLength(3);
  expect(sync.Evidence).toContain("(June Park, Integrations council, spring, ");
  await context.close();
});

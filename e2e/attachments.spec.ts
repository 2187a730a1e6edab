import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { createActiveCommunity, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";

const png = (background: string, width = 800, height = 500) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

/** Paste an image into the focused reply box as the clipboard would. */
async function pasteImage(page: Page, bytes: Buffer) {
  await page.locator("#reply-body").evaluate((box, data) => {
    const file = new File([new Uint8Array(data)], "image.png", { type: "image/png" });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, [...bytes]);
}

test("participants answer a masked prompt with images (pasted and chosen with JavaScript, a file field without); only readers get them; a moderator keeps one as evidence and the product reviewer sees it", async ({ browser }) => {
  test.setTimeout(90_000);
  const [ana, ben, cleo, outsider] = await Promise.all(["Ana Image", "Ben Upload", "Cleo Waiting", "Olga Outside"].map((displayName) => createUser({ displayName })));
  const { slug } = await createActiveCommunity("Screens", [ana!.userId, ben!.userId, cleo!.userId]);
  await createActiveCommunity("Elsewhere", [outsider!.userId]);
  const moderatorId = await userIdByEmail("maya@cohort.example");
  const { threadId } = await withDatabase((db) =>
    startThread(db, { id: moderatorId, role: "moderator" }, slug, { title: "Show us your Monday screen", body: "A screenshot, please.", prompt: { masked: true, appearsAt: null } }),
  );
  const threadUrl = `/c/${slug}/t/${threadId}`;

  // Ana, with JavaScript: pastes a screenshot and chooses a photo; both upload with a preview, then she describes them.
  const anaContext = await browser.newContext();
  await signInAs(anaContext, ana!.userId);
  const anaPage = await anaContext.newPage();
  await anaPage.goto(threadUrl);
  await anaPage.locator("#reply-body").fill("My Monday starts here.");
  await expect(anaPage.locator("[data-image-fields]")).toBeVisible();
  await pasteImage(anaPage, await png("#4f46e5"));
  await anaPage.locator("[data-image-picker]").setInputFiles({ name: "desk.jpg", mimeType: "image/jpeg", buffer: await sharp(await png("#16a34a", 600, 900)).jpeg().toBuffer() });
  const described = anaPage.getByLabel("What it shows (for people who cannot see it)");
  await expect(described).toHaveCount(2);
  await described.nth(0).fill("My revenue dashboard");
  await described.nth(1).fill("My desk on Monday");
  await anaPage.getByRole("button", { name: "Post my answer" }).click();
  const anaReply = anaPage.locator("[data-post^='reply:']").filter({ hasText: "My Monday starts here." });
  await expect(anaReply.getByRole("img", { name: "My revenue dashboard" })).toBeVisible();
  await expect(anaReply.getByRole("img", { name: "My desk on Monday" })).toBeVisible();
  const anaImages = await anaReply.locator("img").evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).getAttribute("src")!));
  expect(anaImages).toHaveLength(2);

  // Ben, without JavaScript: a plain file field and its description.
  const benContext = await browser.newContext({ javaScriptEnabled: false });
  await signInAs(benContext, ben!.userId);
  const benPage = await benContext.newPage();
  await benPage.goto(threadUrl);
  await benPage.locator("#reply-body").fill("No JavaScript here, just a file.");
  await benPage.getByText("Add images").click();
  await benPage.locator("input[name='image-1']").setInputFiles({ name: "screen.png", mimeType: "image/png", buffer: await png("#dc2626") });
  await benPage.locator("input[name='alt-image-1']").fill("Ben's spreadsheet");
  await benPage.getByRole("button", { name: "Post my answer" }).click();
  await expect(benPage.getByRole("img", { name: "Ben's spreadsheet" })).toBeVisible();
  // Having answered, Ben sees Ana's images too, and they load.
  await expect(benPage.getByRole("img", { name: "My revenue dashboard" })).toBeVisible();
  const benImage = await benPage.getByRole("img", { name: "Ben's spreadsheet" }).getAttribute("src");
  const full = await benContext.request.get(benImage!.replace("/thumb", "/full"));
  expect(full.status()).toBe(200);
  expect(full.headers()["content-type"]).toBe("image/png");
  expect(full.headers()["x-content-type-options"]).toBe("nosniff");
  expect(full.headers()["cache-control"]).toBe("private, max-age=2592000, immutable");

  // Cleo has not answered the masked prompt; Olga is in another community: 404 for every image URL.
  for (const [userId, who] of [
    [cleo!.userId, "the participant who has not answered"],
    [outsider!.userId, "the member of another community"],
  ] as const) {
    const context = await browser.newContext();
    await signInAs(context, userId);
    for (const src of [...anaImages, benImage!]) {
      for (const url of [src, src.replace("/thumb", "/full")]) expect((await context.request.get(url)).status(), `${who}: ${url}`).toBe(404);
    }
    await context.close();
  }

  // The moderator keeps a passage of Ana's answer and its screenshot as evidence for a new suggestion.
  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, moderatorId);
  const triage = await moderatorContext.newPage();
  await triage.goto(`/triage?community=${slug}`);
  await triage.getByRole("list", { name: "Feedback" }).getByRole("button").filter({ hasText: "Ana Image" }).click();
  const item = triage.getByRole("article", { name: "Item by Ana Image" });
  await expect(item.getByRole("img", { name: "My revenue dashboard" })).toBeVisible();
  const title = `Monday screens ${Date.now()}`;
  await item.getByLabel(/^Highlight/).fill("My Monday starts here.");
  await item.getByRole("radio").nth(1).check();
  await item.getByLabel(/^Link to suggestion/).fill(title);
  await item.getByRole("button", { name: "Save highlight" }).click();
  await expect(triage.getByRole("status").filter({ hasText: "Done:" })).toContainText("and an image of it");

  // The product reviewer sees the passage and the image on the suggestion, and the image loads for them.
  const suggestionId = await withDatabase(async (db) => (await db.selectFrom("suggestions").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id);
  const productContext = await browser.newContext();
  await signInAs(productContext, await userIdByEmail("priya@cohort.example"));
  const product = await productContext.newPage();
  await product.goto(`/suggestions/${suggestionId}`);
  await expect(product.getByRole("region", { name: /^Evidence/ }).getByRole("blockquote")).toHaveText("My Monday starts here.");
  const evidence = product.locator("[data-evidence-image] img");
  await expect(evidence).toHaveAttribute("alt", "My revenue dashboard");
  expect(await evidence.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

  for (const context of [anaContext, benContext, moderatorContext, productContext]) await context.close();
});

import { expect, test } from "@playwright/test";
import { createActiveCommunity, createUser, signInAs, uniqueEmail, userIdByEmail, withDatabase } from "./support.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { answerPoll } from "#app/features/polls/polls.server.ts";
import { publishConsent } from "#app/features/consent/consent.server.ts";
import { inviteMembers } from "#app/features/invitations/invitations.server.ts";
import { closeCommunityNow } from "#app/features/communities/communities.server.ts";

test("a leader adds a poll to a prompt; a participant sees no results, in the page or its data, until they answer", async ({ browser }) => {
  // Three browsers and a dozen pages: on a loaded two-core machine this runs past 60 s.
  test.slow();
  const leader = await createUser({ displayName: "Lea Leader" });
  const voter = await createUser({ displayName: "Vic Voter" });
  const early = await createUser({ displayName: "Eve Early" });
  const { slug } = await createActiveCommunity("Poll journey", [leader.userId, voter.userId, early.userId]);
  const threadId = await withDatabase(async (db) => {
    await db.updateTable("memberships").set({ role: "leader" }).where("user_id", "=", leader.userId).execute();
    return (await startThread(db, { id: leader.userId, role: "member" }, slug, { title: "Your export habits", body: "Tell us how you export.", prompt: { masked: false, appearsAt: null } })).threadId;
  });

  // The leader adds a masked poll from the thread.
  const leaderContext = await browser.newContext();
  await signInAs(leaderContext, leader.userId);
  const lead = await leaderContext.newPage();
  await lead.goto(`/c/${slug}/t/${threadId}`);
  await lead.getByRole("link", { name: "Add a poll" }).click();
  await lead.getByLabel("Question").fill("How ofen do you export?");
  await lead.getByLabel("Options", { exact: true }).fill("Every day\nEvery week");
  await lead.getByLabel(/once they have answered/).check();
  await lead.getByRole("button", { name: "Add the poll" }).click();
  await expect(lead).toHaveURL(`/c/${slug}/t/${threadId}#poll`);
  // Before anyone answers, the leader fixes the typo and adds the option they forgot.
  await lead.getByRole("link", { name: "Change the poll (until the first answer)" }).click();
  const change = lead.locator("#change-poll");
  await expect(change.getByLabel("Question")).toHaveValue("How ofen do you export?");
  await change.getByLabel("Question").fill("How often do you export?");
  await change.getByLabel("Options", { exact: true }).fill("Every day\nEvery week\nNever");
  await change.getByRole("button", { name: "Save the changes" }).click();
  await expect(lead).toHaveURL(`/c/${slug}/t/${threadId}#poll`);
  await expect(lead.getByRole("heading", { name: "How often do you export?" })).toBeVisible();

  // Someone answers first, so there are results to hide.
  await withDatabase(async (db) => {
    const options = await db.selectFrom("poll_options").innerJoin("polls", "polls.id", "poll_options.poll_id").select(["poll_options.id", "poll_options.label"]).where("polls.thread_id", "=", threadId).execute();
    await answerPoll(db, { id: early.userId, role: "member" }, slug, threadId, { choices: [{ optionId: options.find((o) => o.label === "Never")!.id, rank: null }], other: null });
  });

  // Answered: the poll is locked for the leader too.
  await lead.reload();
  await expect(lead.getByRole("heading", { name: "How often do you export?" })).toBeVisible();
  await expect(lead.getByRole("link", { name: "Change the poll (until the first answer)" })).toHaveCount(0);
  // Where the link was, the leader reads why.
  await expect(lead.locator("#poll")).toContainText("Members have started answering this poll; it can no longer change.");

  const voterContext = await browser.newContext();
  await signInAs(voterContext, voter.userId);
  const page = await voterContext.newPage();
  await page.goto(`/c/${slug}/t/${threadId}`);
  await expect(page.getByTestId("poll-results-hidden")).toHaveText("You will see the results once you have answered.");
  await expect(page.getByTestId("poll-results")).toHaveCount(0);
  await expect(page.locator("#poll")).not.toContainText("it can no longer change");
  // Nothing of the results leaves the server: not in the HTML, not in the data Remix loads
  // (single fetch serves it at `.data`; the old `?_data=` gets a bare 400, tested below).
  const legacy = await page.request.get(`/c/${slug}/t/${threadId}?_data=routes%2Fc.%24slug.t.%24threadId`);
  expect(legacy.status()).toBe(400);
  expect(await legacy.text()).not.toContain("How often");
  for (const path of [`/c/${slug}/t/${threadId}`, `/c/${slug}/t/${threadId}.data`, `/c/${slug}/t/${threadId}/poll`, `/c/${slug}/t/${threadId}/poll.data`]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(200);
    const body = await response.text();
    expect(body, path).toContain("How often do you export?");
    expect(body, path).not.toContain("member answered");
    expect(body, path).not.toContain("percent");
    expect(body, path).not.toContain("averageRank");
  }
  await expect(page.getByRole("link", { name: /dashboard\.csv|CSV/ })).toHaveCount(0);
  expect((await page.request.get(`/c/${slug}/dashboard.csv?table=polls`)).status()).toBe(403);

  await page.getByLabel("Every week").check();
  await page.getByRole("button", { name: "Answer" }).click();
  const results = page.getByTestId("poll-results");
  await expect(results).toContainText("2 members answered");
  await expect(results).toContainText("Every week");
  await expect(results).toContainText("1 · 50%");
  // The answer can change while the community is open; still one answer.
  await page.getByLabel("Every day").check();
  await Promise.all([page.waitForResponse((r) => r.url().includes("/poll") && r.request().method() === "POST"), page.getByRole("button", { name: "Change my answer" }).click()]);
  await expect(results).toContainText("2 members answered");
  await page.reload();
  await expect(page.getByLabel("Every day")).toBeChecked();

  // The leader, a participant too, sees the results only by the same rule; the moderator sees them split by segment and as CSV.
  const moderatorContext = await browser.newContext();
  const mayaId = await userIdByEmail("maya@cohort.example");
  await signInAs(moderatorContext, mayaId);
  const moderator = await moderatorContext.newPage();
  await moderator.goto(`/c/${slug}/t/${threadId}`);
  await moderator.getByText("By segment (staff only)").click();
  await expect(moderator.getByRole("columnheader", { name: "no segment (2)" })).toBeVisible();
  const csv = await moderator.request.get(`/c/${slug}/dashboard.csv?table=polls`);
  expect(await csv.text()).toContain('"How often do you export?","Your export habits","Every day","all members",2,1,50,""');

  // Once the community has closed, the readout shows the results to those it opens to.
  await withDatabase((db) => closeCommunityNow(db, { id: mayaId, role: "moderator" }, slug));
  await page.goto(`/c/${slug}/readout`);
  const readout = page.getByRole("region", { name: "What the polls said" });
  await expect(readout).toContainText("How often do you export?");
  await expect(readout.getByTestId("poll-results")).toContainText("2 members answered");
  await Promise.all([leaderContext.close(), voterContext.close(), moderatorContext.close()]);
});

test("a participant joins agreeing to consent v1; after the moderator publishes v2 they must agree again before posting", async ({ browser }) => {
  test.slow();
  const { slug } = await createActiveCommunity("Consent journey", []);
  const email = uniqueEmail("consent");
  const mayaId = await userIdByEmail("maya@cohort.example");
  const maya = { id: mayaId, role: "moderator" as const };
  const link = await withDatabase(async (db) => {
    await publishConsent(db, maya, slug, { collected: "Your posts.", readers: "The research team.", quotes: "Never with your name.", retention: "Two years.", incentive: "" });
    const report = await inviteMembers(db, maya, slug, { emails: email, role: "participant" }, { siteOrigin: "" });
    const message = await db.selectFrom("outbox").select("text_body").where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    return /\/invitations\/[a-z2-7]+/.exec(message.text_body)![0];
  });

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  const consent = guest.getByTestId("consent-text");
  await expect(consent).toContainText("Consent, version 1");
  await expect(consent).toContainText("Never with your name.");
  await guest.getByLabel("Display name").fill("Cora Consent");
  await guest.getByLabel("Password").fill("consenting adult");
  await guest.getByRole("checkbox", { name: /I have seen that this community opens/ }).check();
  // Without ticking the consent the browser will not send the form; the server refuses it too.
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(link);
  await guest.getByRole("checkbox", { name: /I have read the consent above \(version 1/ }).check();
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(`/c/${slug}`);
  await guest.goto(`/c/${slug}/consent`);
  await expect(guest.getByText(/You agreed to version 1 on/)).toBeVisible();

  // The moderator publishes version 2 from the consent page and sees who agreed to what.
  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, mayaId);
  const moderator = await moderatorContext.newPage();
  await moderator.goto(`/c/${slug}/consent`);
  await expect(moderator.getByRole("cell", { name: "Cora Consent" })).toBeVisible();
  await moderator.getByText("Publish version 2").click();
  await moderator.getByLabel("How long it is kept").fill("One year, then deleted.");
  await moderator.getByRole("button", { name: "Publish" }).click();
  await expect(moderator.getByRole("status")).toContainText("Version 2 is published.");
  await expect(moderator.getByText(/1 member has not agreed to version 2 yet/)).toBeVisible();

  // They are told at once (a notification, and an email by their settings); on their next
  // visit they are asked, and the server refuses their writes until they agree.
  await guest.goto("/notifications");
  await expect(guest.getByRole("link", { name: /The consent for .* has changed: you will be asked to agree to version 2 on your next visit/ })).toBeVisible();
  expect(await withDatabase((db) => db.selectFrom("outbox").select("id").where("to_address", "=", email).where("subject", "like", "The consent for %has changed%").execute())).toHaveLength(1);
  await guest.goto(`/c/${slug}`);
  await expect(guest.getByTestId("consent-pending")).toContainText("Read version 2 and agree");
  const refused = await guest.request.post(`/c/${slug}?index`, { form: { title: "Before agreeing", body: "Can I post?" }, headers: { Origin: new URL(guest.url()).origin } });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("The consent for this community has changed.");
  await guest.getByTestId("consent-pending").getByRole("link").click();
  await expect(guest.getByTestId("consent-text").first()).toContainText("One year, then deleted.");
  await guest.getByRole("button", { name: "I agree to version 2" }).click();
  await expect(guest.getByRole("status")).toContainText("you agreed to version 2");
  await guest.goto(`/c/${slug}`);
  await expect(guest.getByTestId("consent-pending")).toHaveCount(0);
  await guest.getByLabel("Title").fill("After agreeing");
  await guest.getByLabel("What do you want to say?").fill("Now I can post.");
  await guest.getByRole("button", { name: "Post thread" }).click();
  await expect(guest.getByRole("heading", { name: "After agreeing" })).toBeVisible();

  // Staff see both agreements, as CSV too.
  const csv = await (await moderator.request.get(`/c/${slug}/consent.csv`)).text();
  expect(csv).toMatch(/"Cora Consent","[^"]+",2,"/);
  expect(csv).toMatch(/"Cora Consent","[^"]+",1,"/);
  await Promise.all([guestContext.close(), moderatorContext.close()]);
});

import { expect, test } from "@playwright/test";
import { addMember, getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { answerPoll, createPoll } from "#app/features/polls/polls.server.ts";
import { createActiveCommunity, createUser, signInAs, userIdByEmail, withDatabase } from "./support.ts";

// Each journey drives three browsers through some twenty pages.
test.describe.configure({ timeout: 120_000 });

test("a moderator asks a private follow-up; another participant cannot see it anywhere; the participant answers from 'needs your reply' and the list empties", async ({ browser }) => {
  const pia = await createUser({ displayName: "Pia Private" });
  const otto = await createUser({ displayName: "Otto Other" });
  const mo = await createUser({ displayName: "Mo Derator" });
  const { slug } = await createActiveCommunity("Follow-up journey", [pia.userId, otto.userId]);
  const { threadId } = await withDatabase(async (db) => {
    // Mo moderates this community only, so his list holds only its follow-ups.
    const { community } = await getCommunityForActor(db, { id: (await db.selectFrom("users").select("id").where("email", "=", "maya@cohort.example").executeTakeFirstOrThrow()).id, role: "moderator" }, slug);
    await addMember(db, { communityId: community.id, userId: mo.userId, role: "moderator", datesConfirmedAt: 1 });
    return startThread(db, { id: pia.userId, role: "member" }, slug, { title: "How I export on Mondays", body: "I export three reports and merge them by hand." });
  });

  const moPage = await (await browser.newContext()).newPage();
  await signInAs(moPage.context(), mo.userId);
  await moPage.goto(`/c/${slug}/t/${threadId}`);
  await moPage.getByRole("link", { name: "Follow up privately with Pia Private" }).click();
  await moPage.getByLabel("Your private question for Pia Private").fill("Which spreadsheet tool do you merge in, zebrafinch?");
  await moPage.getByRole("button", { name: "Send privately" }).click();
  await expect(moPage.getByRole("status")).toContainText("Your follow-up is sent privately");
  await expect(moPage.getByRole("region", { name: "Private follow-up for Pia Private" })).toContainText("Waiting for the answer");
  const followUpId = await withDatabase(async (db) => (await db.selectFrom("follow_ups").select("id").where("participant_id", "=", pia.userId).executeTakeFirstOrThrow()).id);
  await moPage.goto("/follow-ups");
  await expect(moPage.getByRole("list", { name: "Open follow-ups" }).getByRole("listitem")).toHaveCount(1);
  await expect(moPage.getByRole("list", { name: "Open follow-ups" })).toContainText("zebrafinch");

  // Otto, a participant of the same community: not on any URL, nor in data requests (single fetch's .data), search or the thread.
  const ottoPage = await (await browser.newContext()).newPage();
  await signInAs(ottoPage.context(), otto.userId);
  for (const path of [`/follow-ups/${followUpId}`, `/follow-ups/${followUpId}.data`, "/follow-ups", "/follow-ups.data"]) {
    const response = await ottoPage.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
    expect(await response.text(), path).not.toContain("zebrafinch");
  }
  const threadData = await ottoPage.request.get(`/c/${slug}/t/${threadId}.data`);
  expect(threadData.status()).toBe(200);
  expect(await threadData.text()).not.toContain("zebrafinch");
  await ottoPage.goto(`/c/${slug}/t/${threadId}`);
  await expect(ottoPage.getByRole("heading", { name: "How I export on Mondays" })).toBeVisible();
  await expect(ottoPage.getByText("zebrafinch")).toHaveCount(0);
  await expect(ottoPage.getByText("Private follow-up")).toHaveCount(0);

  // Pia: her home page says it needs her reply; she answers from there.
  const piaPage = await (await browser.newContext()).newPage();
  await signInAs(piaPage.context(), pia.userId);
  await piaPage.goto("/notifications");
  await expect(piaPage.getByText("Mo Derator asked you a private follow-up in \"How I export on Mondays\"; it needs your reply")).toBeVisible();
  await piaPage.goto("/");
  const needs = piaPage.getByRole("region", { name: "Needs your reply" });
  await expect(needs).toContainText("How I export on Mondays");
  await needs.getByRole("link", { name: /A private follow-up on your post/ }).click();
  await expect(piaPage.getByText("Which spreadsheet tool do you merge in, zebrafinch?")).toBeVisible();
  await piaPage.getByLabel("Your answer").fill("LibreOffice Calc, with a pivot table called quokkaplan.");
  await piaPage.getByRole("button", { name: "Send my answer" }).click();
  await expect(piaPage.getByRole("status")).toContainText("Thank you: your answer is sent.");
  await expect(piaPage.getByRole("region", { name: /Your answer/ })).toContainText("quokkaplan");
  await piaPage.goto("/");
  await expect(piaPage.getByRole("region", { name: "Needs your reply" })).toHaveCount(0);
  await piaPage.goto(`/c/${slug}/t/${threadId}`);
  await expect(piaPage.getByRole("region", { name: "Private follow-up for Pia Private" })).toContainText("quokkaplan");

  // The answer stays private: Otto finds it neither in the thread nor by search; the reply count did not move.
  await ottoPage.goto(`/c/${slug}/t/${threadId}`);
  await expect(ottoPage.getByText("quokkaplan")).toHaveCount(0);
  await expect(ottoPage.getByRole("heading", { name: "0 replies" })).toBeVisible();
  await ottoPage.goto("/search?q=quokkaplan");
  await expect(ottoPage.getByRole("status")).toContainText("Nothing matches “quokkaplan” in what you can see.");
  await expect(ottoPage.getByRole("list", { name: "Results" })).toHaveCount(0);

  // The moderator's list is empty; the answer is on the follow-up's page.
  await moPage.goto("/follow-ups");
  await expect(moPage.getByRole("status")).toContainText("Nothing waiting");
  await moPage.goto(`/follow-ups/${followUpId}`);
  await expect(moPage.getByRole("region", { name: /Pia Private's answer/ })).toContainText("quokkaplan");
});

test("the completion table shows who has not answered, and a nudge reaches exactly those members, once", async ({ browser }) => {
  const ann = await createUser({ displayName: "Ann Answered" });
  const bo = await createUser({ displayName: "Bo Behind" });
  const cy = await createUser({ displayName: "Cy Behind" });
  const { slug } = await createActiveCommunity("Completion journey", [ann.userId, bo.userId, cy.userId]);
  const mayaId = await userIdByEmail("maya@cohort.example");
  const { threadId } = await withDatabase(async (db) => {
    const prompt = await startThread(db, { id: mayaId, role: "moderator" }, slug, { title: "What do you export first?", body: "Tell us.", prompt: { masked: false, appearsAt: null } });
    await replyToThread(db, { id: ann.userId, role: "member" }, slug, prompt.threadId, { body: "The revenue report." });
    // A poll on the prompt that Cy answered and the others did not.
    await createPoll(db, { id: mayaId, role: "moderator" }, slug, prompt.threadId, { question: "Daily or weekly?", options: ["Daily", "Weekly"], choice: "single", allowOther: false, results: "always" });
    const option = await db.selectFrom("poll_options").innerJoin("polls", "polls.id", "poll_options.poll_id").select("poll_options.id").where("polls.thread_id", "=", prompt.threadId).orderBy("position").executeTakeFirstOrThrow();
    await answerPoll(db, { id: cy.userId, role: "member" }, slug, prompt.threadId, { choices: [{ optionId: option.id, rank: null }], other: null });
    return prompt;
  });

  const maya = await (await browser.newContext()).newPage();
  await signInAs(maya.context(), mayaId);
  await maya.goto(`/c/${slug}`);
  await maya.getByRole("link", { name: "Completion" }).click();
  const table = maya.getByRole("table", { name: "Completion by participant and prompt" });
  await expect(table.locator('tr[data-participant="Ann Answered"] td[data-state]')).toHaveAttribute("data-state", "answered");
  await expect(table.locator('tr[data-participant="Bo Behind"] td[data-state]')).toHaveAttribute("data-state", "not-yet");
  await expect(table.locator("tfoot")).toContainText("1 of 3");
  await expect(table.getByRole("columnheader", { name: "Polls voted" })).toBeVisible();
  await expect(table.locator('tr[data-participant="Cy Behind"] td').last()).toHaveText("1 of 1");
  await expect(table.locator('tr[data-participant="Ann Answered"] td').last()).toHaveText("0 of 1");
  // "Has not voted in poll 1": Ann and Bo; the CSV says the same.
  await maya.getByLabel("Has not voted in").selectOption({ label: "Poll 1: Daily or weekly?" });
  await maya.getByRole("button", { name: "Filter" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator("tbody")).not.toContainText("Cy Behind");
  const csv = await (await maya.request.get(`/c/${slug}/completion.csv${new URL(maya.url()).search}`)).text();
  expect(csv).toContain('"Polls voted"');
  expect(csv).toMatch(/"Bo Behind",.*"0 of 1"/);
  expect(csv).not.toContain("Cy Behind");
  await maya.getByLabel("Has not voted in").selectOption({ label: "Any poll" });

  // "Has not answered prompt 1": Bo and Cy.
  await maya.getByLabel("Has not answered").selectOption({ label: "Prompt 1: What do you export first?" });
  await maya.getByRole("button", { name: "Filter" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator("tbody")).not.toContainText("Ann Answered");

  // Nudge, after a confirmation that says what happens.
  await table.getByRole("link", { name: "Nudge who has not answered" }).click();
  await expect(maya.getByText("2 participants have not answered it")).toBeVisible();
  await maya.getByRole("button", { name: "Send the nudges" }).click();
  await expect(maya.getByRole("status")).toContainText("Nudged 2 members");
  // Twice the same day: nobody is nudged again.
  await table.getByRole("link", { name: "Nudge who has not answered" }).click();
  await maya.getByRole("button", { name: "Send the nudges" }).click();
  await expect(maya.getByRole("status")).toContainText("Nudged 0 members");
  await expect(maya.getByRole("status")).toContainText("2 members already had a nudge for this prompt today");

  const received = await withDatabase(async (db) => {
    const nudges = await db.selectFrom("notifications").select("user_id").where("kind", "=", "prompt.nudge").where("link", "=", `/c/${slug}/t/${threadId}`).execute();
    const mail = await db.selectFrom("outbox").select("to_address").where("subject", "like", '%"What do you export first?" is waiting for your answer%').execute();
    const emails = await db.selectFrom("users").select(["id", "email"]).where("id", "in", [ann.userId, bo.userId, cy.userId]).execute();
    return { nudged: nudges.map((n) => n.user_id).sort(), mailed: mail.map((m) => m.to_address).sort(), emails };
  });
  expect(received.nudged).toEqual([bo.userId, cy.userId].sort());
  const emailOf = (id: string) => received.emails.find((e) => e.id === id)!.email;
  expect(received.mailed).toEqual([emailOf(bo.userId), emailOf(cy.userId)].sort());

  // Bo reads the nudge, and sees his own progress.
  const boPage = await (await browser.newContext()).newPage();
  await signInAs(boPage.context(), bo.userId);
  await boPage.goto("/notifications");
  await expect(boPage.getByText('"What do you export first?" is waiting for your answer')).toHaveCount(1);
  await boPage.goto(`/c/${slug}`);
  await expect(boPage.getByText("0 of 1 research prompt answered")).toBeVisible();
});

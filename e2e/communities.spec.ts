import { expect, test } from "@playwright/test";
import { addParticipant, createPublishedCommunity, createUser, fillCommunityForm, signInAs, userIdByEmail, withDatabase } from "./support.ts";


test("a moderator creates a community as a draft, publishes it, and sees its time box", async ({ page, context }) => {
  const moderator = await createUser({ role: "moderator", displayName: "Mo Derator" });
  await signInAs(context, moderator.userId);
  await page.goto("/");
  await page.getByRole("link", { name: "New community" }).click();
  const slug = `pricing-${Date.now()}`;
  await fillCommunityForm(page, {
    name: "Pricing research",
    slug,
    purpose: "We want to learn how **teams** decide what to pay for.",
    timeZone: "Europe/Berlin",
    opens: "2031-03-03T09:00",
    closes: "2031-03-17T18:00",
  });

  await expect(page).toHaveURL(`/c/${slug}`);
  await expect(page.getByRole("heading", { name: "Pricing research" })).toBeVisible();
  // A draft offers publishing where its staff look first.
  await expect(page.getByText("This is a draft. Only staff can see it")).toBeVisible();
  await expect(page.getByText("Monday, 3 March 2031 at 09:00 CET")).toBeVisible();
  await expect(page.locator("strong", { hasText: "teams" })).toBeVisible();

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page).toHaveURL(`/c/${slug}`);
  await expect(page.getByRole("status")).toContainText("This community opens in");
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Opening soon" }).getByRole("link", { name: "Pricing research" })).toBeVisible();
});

test("the form refuses a community that closes before it opens", async ({ page, context }) => {
  const moderator = await createUser({ role: "moderator" });
  await signInAs(context, moderator.userId);
  await page.goto("/communities/new");
  await page.getByLabel("Name").fill("Backwards");
  await page.getByLabel("Purpose (the research brief)").fill("A brief that is long enough to pass.");
  await page.getByLabel("Opens").fill("2031-03-17T09:00");
  await page.getByLabel("Closes").fill("2031-03-03T09:00");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByText("It must close after it opens")).toBeVisible();
  await expect(page).toHaveURL("/communities/new");
});

test("a participant sees their communities by phase, with dates and banners", async ({ page, context }) => {
  await signInAs(context, await userIdByEmail("sam@customer.example"));
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Open now" }).getByRole("link", { name: /Reporting beta/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Closed" }).getByRole("link", { name: /Integrations council/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "New community" })).toHaveCount(0);

  await page.getByRole("link", { name: /Integrations council/ }).click();
  await expect(page.getByRole("status")).toContainText(/This community closed on .*; it is read only\./);
  await page.goto("/c/reporting-beta");
  await expect(page.getByText("You are a discussion leader here.")).toBeVisible();
  await expect(page.getByText(/Each member has 10 votes/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit community" })).toHaveCount(0);
});

test("people outside a community get 404 for it, and members cannot edit it", async ({ page, context, request }) => {
  const outsider = await createUser();
  await signInAs(context, outsider.userId);
  for (const path of ["/c/reporting-beta", "/c/reporting-beta/edit", "/c/mobile-onboarding"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByText("Reporting beta")).toHaveCount(0);
  }
  // Anonymous visitors are sent to sign in first.
  const anonymous = await request.get("/c/reporting-beta", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);

  await context.clearCookies();
  await signInAs(context, await userIdByEmail("lena@customer.example"));
  const edit = await page.goto("/c/reporting-beta/edit");
  expect(edit?.status()).toBe(403);
});

test("a moderator creates a community and invites three addresses; the new person opens the link from the outbox, signs up and joins", async ({ browser }) => {
  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, await userIdByEmail("maya@cohort.example"));
  const moderator = await moderatorContext.newPage();
  const newcomer = `invitee.${Date.now()}@example.com`;
  const slug = `invite-study-${Date.now()}`;

  await createPublishedCommunity(moderator, {
    name: "Invitation study",
    slug,
    purpose: "We want to learn how **teams** share reports.",
    timeZone: "Europe/Berlin",
    opens: "2026-01-01T09:00",
    closes: "2036-01-01T09:00",
  });
  // Lena is already a member.
  await addParticipant(slug, await userIdByEmail("lena@customer.example"));

  await moderator.goto(`/c/${slug}`);
  await moderator.getByRole("link", { name: "Members and invitations" }).click();
  await moderator.getByLabel("Email addresses").fill(`not-an-address, lena@customer.example\n${newcomer}`);
  await moderator.getByLabel("Role offered").selectOption("participant");
  await moderator.getByLabel("Personal note (optional)").fill("Your reporting feedback last month was spot on.");
  await moderator.getByLabel("Where you found them (optional)").fill("Support ticket #9001");
  await moderator.getByLabel("Segment attributes (optional)").fill("segment=enterprise, region=EU");
  await moderator.getByRole("button", { name: "Send invitations" }).click();
  const report = moderator.getByRole("status").filter({ hasText: "Invited" });
  await expect(report).toContainText(`Invited (1): ${newcomer}`);
  await expect(report).toContainText("Not valid email addresses (1): not-an-address");
  await expect(report).toContainText("Already members (1): lena@customer.example");
  await expect(moderator.getByRole("row", { name: new RegExp(newcomer) })).toContainText("Waiting");

  // An admin reads the outbox (no SMTP here) and follows the link.
  const adminContext = await browser.newContext();
  await signInAs(adminContext, await userIdByEmail("ada@cohort.example"));
  const admin = await adminContext.newPage();
  await admin.goto("/admin/outbox");
  const email = admin.getByRole("article", { name: new RegExp(`Email to ${newcomer.replaceAll(".", "\\.")}`) });
  await expect(email).toContainText("It opens Thursday, 1 January 2026 at 09:00 CET and closes Tuesday, 1 January 2036 at 09:00 CET.");
  const link = await email.getByRole("link", { name: /\/invitations\// }).getAttribute("href");
  expect(link).toMatch(/\/invitations\/[a-z2-7]{32}$/);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link!);
  await expect(guest.getByRole("heading", { name: "Invitation study" })).toBeVisible();
  await expect(guest.getByText("Your reporting feedback last month was spot on.")).toBeVisible();
  await expect(guest.getByText("Thursday, 1 January 2026 at 09:00 CET").first()).toBeVisible();
  await expect(guest.getByLabel("Email")).toHaveValue(newcomer);
  await guest.getByLabel("Display name").fill("Ivy Invitee");
  await guest.getByLabel("Password").fill("invited and happy");
  // Joining without confirming the dates is not possible.
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(link!);
  await guest.getByRole("checkbox", { name: /I have seen that this community opens/ }).check();
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(`/c/${slug}`);
  await expect(guest.getByText("You are a participant here.")).toBeVisible();
  const confirmed = await withDatabase((db) =>
    db.selectFrom("memberships").innerJoin("users", "users.id", "memberships.user_id").select("memberships.dates_confirmed_at").where("users.email", "=", newcomer).executeTakeFirstOrThrow(),
  );
  expect(confirmed.dates_confirmed_at).not.toBeNull();

  // The funnel and the member list show it; the link cannot be used again.
  await moderator.reload();
  await expect(moderator.getByRole("row", { name: new RegExp(newcomer) }).first()).toContainText("Accepted");
  const member = moderator.getByRole("row", { name: /Ivy Invitee/ });
  await expect(member).toContainText("Support ticket #9001");
  await expect(member).toContainText("segment=enterprise");
  const reused = await guest.goto(link!);
  expect(reused?.status()).toBe(404);
  await expect(guest.getByText("This invitation link is not valid.")).toBeVisible();
  for (const c of [moderatorContext, adminContext, guestContext]) await c.close();
});

test("participants cannot reach the member list or the outbox", async ({ page, context }) => {
  await signInAs(context, await userIdByEmail("sam@customer.example"));
  expect((await page.goto("/c/reporting-beta/members"))?.status()).toBe(403);
  expect((await page.goto("/admin/outbox"))?.status()).toBe(403);
});

test("changing a published community's dates announces it and notifies every member", async ({ browser }) => {
  const member = await createUser({ displayName: "Mara Member" });
  const moderatorContext = await browser.newContext();
  await signInAs(moderatorContext, await userIdByEmail("maya@cohort.example"));
  const moderator = await moderatorContext.newPage();

  // A published community with one member, arranged through the moderator's pages.
  const slug = `dated-${Date.now()}`;
  await createPublishedCommunity(moderator, {
    name: "Dated study",
    slug,
    purpose: "A study whose dates will move, to see who hears of it.",
    timeZone: "UTC",
    opens: "2031-05-04T09:00",
    closes: "2031-05-18T17:00",
  });
  await addParticipant(slug, member.userId);

  await moderator.goto(`/c/${slug}/edit`);
  await moderator.getByLabel("Closes").fill("2031-05-25T17:00");
  await moderator.getByRole("button", { name: "Save changes" }).click();
  await expect(moderator.getByRole("region", { name: "Announcements" })).toContainText("closes Sunday, 25 May 2031 at 17:00 UTC");

  const memberContext = await browser.newContext();
  await signInAs(memberContext, member.userId);
  const page = await memberContext.newPage();
  await page.goto("/");
  await page.getByRole("link", { name: "Notifications, 1 unread" }).click();
  await expect(page.getByRole("link", { name: "New dates for Dated study" })).toBeVisible();
  await expect(page.getByText("It now opens Sunday, 4 May 2031 at 09:00 UTC and closes Sunday, 25 May 2031 at 17:00 UTC.")).toBeVisible();
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "New dates for Dated study" }).click();
  await expect(page.getByRole("region", { name: "Announcements" })).toContainText("The dates have changed.");
  await moderatorContext.close();
  await memberContext.close();
});

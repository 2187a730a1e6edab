import { expect, test } from "@playwright/test";
import { signInAs, userIdByEmail, withDatabase } from "./support.ts";

test("a moderator opens the active demo community's dashboard: charts have bars and the figures match the data", async ({ browser }) => {
  const expected = await withDatabase(async (db) => {
    const community = await db.selectFrom("communities").select("id").where("slug", "=", "reporting-beta").executeTakeFirstOrThrow();
    const members = await db.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", community.id).where("role", "in", ["participant", "leader"]).executeTakeFirstOrThrow();
    const votes = await db.selectFrom("votes").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", community.id).executeTakeFirstOrThrow();
    const invited = await db.selectFrom("invitations").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", community.id).executeTakeFirstOrThrow();
    return { members: String(members.n), votes: String(votes.n), invited: String(invited.n) };
  });
  const context = await browser.newContext();
  await signInAs(context, await userIdByEmail("maya@cohort.example"));
  const page = await context.newPage();
  await page.goto("/c/reporting-beta");
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Members" })).toContainText(expected.members);
  await expect(page.getByRole("group", { name: "Votes" })).toContainText(expected.votes);
  await expect(page.getByRole("group", { name: "Triage coverage" })).toContainText(/\d+%/);
  // The charts draw bars, and say what they show in words.
  const perDay = page.getByRole("img", { name: /^Posts and ideas per day\./ });
  await expect(perDay).toBeVisible();
  const tallBars = await perDay.locator("rect").evaluateAll((rects) => rects.filter((r) => Number(r.getAttribute("height")) > 0).length);
  expect(tallBars).toBeGreaterThan(2);
  await expect(page.getByRole("img", { name: /^Invitation funnel\./ })).toHaveAttribute("aria-label", new RegExp(`Sent: ${expected.invited} invitations`));
  await expect(page.getByRole("region", { name: "Top contributors" })).toContainText("Lena Fischer");
  // Each table exports.
  const csv = await context.request.get("/c/reporting-beta/dashboard.csv?table=contributors");
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(await csv.text()).toContain('"Lena Fischer"');
  // The demo's poll and the completion per research prompt (issue 17), each with its CSV.
  await expect(page.getByRole("region", { name: "Polls" })).toContainText("Which report do you open first on a Monday?");
  await expect(page.getByRole("region", { name: "Completion by research prompt" })).toContainText(/Day 1:.*\d+ of \d+/);
  expect(await (await context.request.get("/c/reporting-beta/dashboard.csv?table=polls")).text()).toContain('"Which report do you open first on a Monday?"');
  const completion = await (await context.request.get("/c/reporting-beta/completion.csv")).text();
  expect(completion).toContain('"Prompts answered","Polls voted"');
  expect(completion).toContain('"Lena Fischer"');
  // Participants do not get in.
  const member = await browser.newContext();
  await signInAs(member, await userIdByEmail("lena@customer.example"));
  expect((await member.request.get("/c/reporting-beta/dashboard")).status()).toBe(403);
  await context.close();
  await member.close();
});

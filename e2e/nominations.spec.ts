import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_DEMO_PASSWORD, signInAs, signInWithForm, uniqueEmail, userIdByEmail } from "./support.ts";

const BETA = "Reporting beta: what do your dashboards miss?";

async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext();
  await signInAs(context, await userIdByEmail(email));
  return { context, page: await context.newPage() };
}

/** The invitation link in the newest email to this address, as an admin reads it in the outbox. */
async function invitationLinkFor(admin: Page, to: string): Promise<{ link: string; text: string }> {
  await admin.goto("/admin/outbox");
  const email = admin.getByRole("article", { name: new RegExp(`Email to ${to.replaceAll(".", "\\.")}`) }).first();
  const link = await email.getByRole("link", { name: /\/invitations\// }).getAttribute("href");
  const text = await email.innerText();
  return { link: link!, text };
}

test("a product reviewer nominates a customer; a moderator invites from the nomination in one step; the customer joins and shows as nominated; the nominator hears", async ({ browser }) => {
  // Four browsers and some twenty pages, one of them a sign-in through argon2: on a loaded two-core machine this runs past 60 s.
  test.slow();
  const customer = uniqueEmail("customer");
  const name = `Noa ${Date.now().toString(36)}`;

  // Priya signs in as she would and nominates from the header link.
  const priyaContext = await browser.newContext();
  const priya = await priyaContext.newPage();
  await priya.goto("/login");
  await signInWithForm(priya, "priya@cohort.example", E2E_DEMO_PASSWORD);
  await priya.getByRole("link", { name: "Nominate" }).click();
  await expect(priya.getByRole("heading", { name: "Nominate a customer" })).toBeVisible();
  // A product reviewer nominates but does not review.
  await expect(priya.getByRole("heading", { name: "Open nominations" })).toHaveCount(0);
  await priya.getByLabel("Customer's email").fill(customer);
  await priya.getByLabel("Customer's name").fill(name);
  // What the customer said is required.
  await priya.getByRole("button", { name: "Nominate" }).click();
  await expect(priya.getByText("Write down what the customer said")).toBeVisible();
  await priya.getByLabel("What the customer said").fill("I export every report to Excel because I cannot compare two quarters side by side.");
  await priya.getByLabel("Where (optional)").fill("Ticket https://support.example.com/t/9912 (javascript:alert(1))");
  await priya.getByLabel("Community (optional)").selectOption({ label: BETA });
  await priya.getByLabel("Ask them to lead a discussion").check();
  await priya.getByRole("button", { name: "Nominate" }).click();
  await expect(priya.getByRole("status")).toContainText(`Thank you: ${name} is nominated.`);
  await expect(priya.getByRole("region", { name: "Your nominations" })).toContainText(`${name}`);
  await expect(priya.getByRole("region", { name: "Your nominations" })).toContainText("Waiting for a moderator");

  // Maya sees it with the reason, the source (a safe link) and who nominated, and invites in one step.
  const maya = await signedIn(browser, "maya@cohort.example");
  await maya.page.goto("/nominations");
  const card = maya.page.getByRole("article", { name: new RegExp(name) });
  await expect(card).toContainText("I export every report to Excel");
  await expect(card).toContainText("Nominated by Priya Raman");
  const ticket = card.getByRole("link", { name: "https://support.example.com/t/9912" });
  await expect(ticket).toHaveAttribute("href", "https://support.example.com/t/9912");
  await expect(ticket).toHaveAttribute("rel", /nofollow.*noopener/);
  await expect(card.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expect(card.getByLabel("Community")).toHaveValue("reporting-beta");
  await expect(card.getByLabel("Role offered")).toHaveValue("leader");
  await card.getByRole("button", { name: `Invite ${name}` }).click();
  await expect(maya.page.getByRole("status")).toContainText(`Invitation sent to ${BETA}; the nominator has been told.`);
  await expect(maya.page.getByRole("article", { name: new RegExp(name) })).toHaveCount(0);

  // The customer opens the link from the outbox, learns the role, signs up and joins.
  const admin = await signedIn(browser, "ada@cohort.example");
  const { link, text } = await invitationLinkFor(admin.page, customer);
  expect(text).toContain("You are invited to lead discussions");
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByText("You are invited to lead discussions")).toBeVisible();
  await guest.getByLabel("Display name").fill(name);
  await guest.getByLabel("Password").fill("nominated and happy");
  await guest.getByRole("checkbox", { name: /I have seen that this community opens/ }).check();
  // The reporting beta has a consent text (issue 17): joining records the version agreed to.
  await guest.getByRole("checkbox", { name: /I have read the consent above/ }).check();
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL("/c/reporting-beta");

  // The member list shows where they came from.
  await maya.page.goto("/c/reporting-beta/members");
  const member = maya.page.getByRole("row", { name: new RegExp(name) }).filter({ hasText: "Nominated by" });
  await expect(member).toContainText("Nominated by Priya Raman: Ticket https://support.example.com/t/9912");
  await expect(member.getByRole("link", { name: "https://support.example.com/t/9912" })).toHaveAttribute("rel", /nofollow/);

  // Priya is told: invited, then joined.
  await priya.goto("/notifications");
  await expect(priya.getByText(`Maya Chen invited ${name}, whom you nominated, to ${BETA}`)).toBeVisible();
  await expect(priya.getByText(`${name}, whom you nominated, joined ${BETA}`)).toBeVisible();
  await priya.goto("/nominations");
  await expect(priya.getByRole("region", { name: "Your nominations" }).getByRole("listitem").filter({ hasText: name })).toContainText("Joined");
  for (const c of [priyaContext, maya.context, admin.context, guestContext]) await c.close();
});

test("a moderator declines a nomination with a reason, and the nominator reads it", async ({ browser }) => {
  const name = `Remy ${Date.now().toString(36)}`;
  const priya = await signedIn(browser, "priya@cohort.example");
  await priya.page.goto("/nominations");
  await priya.page.getByLabel("Customer's email").fill(uniqueEmail("remy"));
  await priya.page.getByLabel("Customer's name").fill(name);
  await priya.page.getByLabel("What the customer said").fill("Please let me schedule exports to our shared drive every Monday.");
  await priya.page.getByRole("button", { name: "Nominate" }).click();
  await expect(priya.page.getByRole("status")).toContainText("is nominated");

  const maya = await signedIn(browser, "maya@cohort.example");
  await maya.page.goto("/nominations");
  const card = maya.page.getByRole("article", { name: new RegExp(name) });
  await card.locator("summary", { hasText: "Decline" }).click();
  await expect(card).toContainText("Priya Raman will be told, with this reason.");
  await card.getByLabel("Why not").fill("A competitor's employee, not a customer.");
  await card.getByRole("button", { name: /Decline nomination/ }).click();
  await expect(maya.page.getByRole("status")).toContainText(`${name}'s nomination is declined`);

  await priya.page.goto("/notifications");
  await expect(priya.page.getByText(`Maya Chen declined your nomination of ${name}`)).toBeVisible();
  await expect(priya.page.getByText("A competitor's employee, not a customer.")).toBeVisible();
  for (const c of [priya.context, maya.context]) await c.close();
});

/** Maya invites one new address to the reporting beta from its member list. */
async function inviteOne(page: Page, guest: string, role: "participant" | "leader") {
  await page.goto("/c/reporting-beta/members");
  await page.getByLabel("Email addresses").fill(guest);
  await page.getByLabel("Role offered").selectOption(role);
  await page.getByRole("button", { name: "Send invitations" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invited" })).toContainText(`Invited (1): ${guest}`);
}

const rowOf = (page: Page, email: string) => page.getByRole("row", { name: new RegExp(email.replaceAll(".", "\\.")) });

test("a moderator changes a waiting invitation's role and note without sending it again; the role select keeps its value", async ({ browser }) => {
  const maya = await signedIn(browser, "maya@cohort.example");
  const admin = await signedIn(browser, "ada@cohort.example");
  const page = maya.page;
  const guest = uniqueEmail("guest");
  await inviteOne(page, guest, "leader");
  // The role offered keeps its value for the next batch; the addresses are cleared.
  await expect(page.getByLabel("Role offered")).toHaveValue("leader");
  await expect(page.getByLabel("Email addresses")).toHaveValue("");

  // Sending the same address again is refused while it waits, and says so.
  await page.getByLabel("Email addresses").fill(guest);
  await page.getByRole("button", { name: "Send invitations" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Already invited" })).toContainText(`Already invited and still waiting (change or resend that invitation below) (1): ${guest}`);

  const { link } = await invitationLinkFor(admin.page, guest);
  const row = rowOf(page, guest);
  await row.locator("summary", { hasText: "Change" }).click();
  await row.getByLabel(`Role for ${guest}`).selectOption("participant");
  await row.getByLabel(`Note for ${guest}`).fill("We'd love your view on exports.");
  await row.getByRole("button", { name: /Save changes/ }).click();
  await expect(page.getByRole("status")).toContainText("Invitation changed. It was not sent again; the link already sent still works.");
  await expect(rowOf(page, guest)).toContainText("Participant");
  // No new email: the newest one to the address still carries the same link, which shows the change.
  expect((await invitationLinkFor(admin.page, guest)).link).toBe(link);
  await admin.page.goto(link);
  await expect(admin.page.getByText("You are invited to take part")).toBeVisible();
  await expect(admin.page.getByText("We'd love your view on exports.")).toBeVisible();
  for (const c of [maya.context, admin.context]) await c.close();
});

test("a moderator invites an address again after withdrawing its invitation: a new link, the old one dead", async ({ browser }) => {
  const maya = await signedIn(browser, "maya@cohort.example");
  const admin = await signedIn(browser, "ada@cohort.example");
  const page = maya.page;
  test.slow(); // Two browsers and a dozen pages, three of them the outbox.
  const guest = uniqueEmail("again");
  await inviteOne(page, guest, "participant");
  const { link: oldLink } = await invitationLinkFor(admin.page, guest);
  await rowOf(page, guest).getByText("Withdraw…").click();
  await page.getByRole("button", { name: `Withdraw invitation to ${guest}` }).click();
  await expect(page.getByRole("status")).toContainText("Invitation withdrawn");
  await expect(rowOf(page, guest)).toContainText("Withdrawn");
  await page.getByLabel("Email addresses").fill(guest);
  await page.getByRole("button", { name: "Send invitations" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invited" })).toContainText(`Invited again (their earlier invitation had been withdrawn or had expired) (1): ${guest}`);
  await expect(rowOf(page, guest)).toContainText("Waiting");
  const { link: newLink } = await invitationLinkFor(admin.page, guest);
  expect(newLink).not.toBe(oldLink);
  expect((await admin.page.goto(oldLink))?.status()).toBe(404);
  expect((await admin.page.goto(newLink))?.status()).toBe(200);
  for (const c of [maya.context, admin.context]) await c.close();
});

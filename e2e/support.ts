import type { BrowserContext, Page } from "@playwright/test";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { submitIdea } from "#app/features/ideas/ideas.server.ts";
import { SESSION_COOKIE } from "#app/lib/security.ts";
import { openSqlite } from "#db/client.ts";
import type { GlobalRole } from "#db/schema.ts";
import { E2E_DATABASE, E2E_DEMO_PASSWORD, E2E_PORT } from "./constants.ts";

export { E2E_DEMO_PASSWORD };
export const BASE_URL = `http://localhost:${E2E_PORT}`;

let counter = 0;
export function uniqueEmail(prefix = "person"): string {
  return `${prefix}.${process.pid}.${Date.now()}.${++counter}@example.com`;
}

/** The test server's database, for arranging data and checking what was written. */
export async function withDatabase<T>(work: (db: ReturnType<typeof openSqlite>["db"]) => Promise<T>): Promise<T> {
  const handle = openSqlite(E2E_DATABASE);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** A new account, created through the same use case as sign-up. */
export async function createUser(options: { role?: GlobalRole; displayName?: string; password?: string } = {}) {
  const email = uniqueEmail(options.role ?? "member");
  const password = options.password ?? "a long enough password";
  const displayName = options.displayName ?? "Test Person";
  const { userId } = await withDatabase((db) => createAccount(db, { email, displayName, password, role: options.role }));
  return { userId, email, password, displayName };
}

/** Sign a browser context in by writing the session straight to the database. */
export async function signInAs(context: BrowserContext, userId: string): Promise<void> {
  const token = await withDatabase((db) => createSession(db, userId));
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: BASE_URL, httpOnly: true, sameSite: "Lax" }]);
}

/** Sign in through the form, as a person would. */
export async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Fill the community form (on /communities/new) and create the draft, as a moderator would. */
export async function fillCommunityForm(
  page: Page,
  community: { name: string; slug: string; purpose: string; timeZone: string; opens: string; closes: string },
): Promise<void> {
  await page.getByLabel("Name").fill(community.name);
  await page.getByLabel("Web address").fill(community.slug);
  await page.getByLabel("Purpose (the research brief)").fill(community.purpose);
  await page.getByLabel("Time zone").selectOption(community.timeZone);
  await page.getByLabel("Opens", { exact: true }).fill(community.opens);
  await page.getByLabel("Closes", { exact: true }).fill(community.closes);
  await page.getByRole("button", { name: "Create draft" }).click();
}

/** Create a community through the form and publish it from its edit page. */
export async function createPublishedCommunity(page: Page, community: Parameters<typeof fillCommunityForm>[1]): Promise<void> {
  await page.goto("/communities/new");
  await fillCommunityForm(page, community);
  await page.getByRole("link", { name: "Edit community" }).click();
  await page.getByRole("button", { name: "Publish" }).click();
}

/** The id of an account (a demo one, usually) by its email. */
export async function userIdByEmail(email: string): Promise<string> {
  return withDatabase(async (db) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
}

/** Make someone a participant of a community directly, as if they had joined earlier. */
export async function addParticipant(slug: string, userId: string): Promise<void> {
  await withDatabase(async (db) => {
    const community = await db.selectFrom("communities").select(["id", "consent_version"]).where("slug", "=", slug).executeTakeFirstOrThrow();
    await addMember(db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1 });
    // As if they had agreed to the community's current consent text when joining (issue 17).
    await db.updateTable("memberships").set({ consent_version: community.consent_version }).where("community_id", "=", community.id).where("user_id", "=", userId).execute();
  });
}

/**
 * A published community open since yesterday for a week, created by the demo moderator
 * through the use cases, with these people as participants: each journey gets its own.
 */
export async function createActiveCommunity(
  name: string,
  participants: string[],
  options: { voteBudget?: number; hideVoteCounts?: boolean } = {},
): Promise<{ slug: string }> {
  const moderatorId = await userIdByEmail("maya@cohort.example");
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 40)}-${Date.now().toString(36)}${++counter}`;
  const day = 24 * 60 * 60 * 1000;
  const wallTime = (at: number) => new Date(at).toISOString().slice(0, 16);
  await withDatabase(async (db) => {
    const moderator = { id: moderatorId, role: "moderator" as const };
    await createCommunity(db, moderator, {
      name,
      slug,
      purpose: "A community made for one journey.",
      timeZone: "UTC",
      startsAt: wallTime(Date.now() - day),
      endsAt: wallTime(Date.now() + 7 * day),
      ...options,
    });
    await publishCommunity(db, moderator, slug);
    const { community } = await getCommunityForActor(db, moderator, slug);
    for (const userId of participants) await addMember(db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1 });
  });
  return { slug };
}

/** An idea posted by this member through the use case (each author posts one: posting limits apply). */
export async function submitIdeaAs(slug: string, userId: string, title: string): Promise<string> {
  return withDatabase(async (db) => (await submitIdea(db, { id: userId, role: "member" }, slug, { title, body: `Because ${title.toLowerCase()}.` })).ideaId);
}

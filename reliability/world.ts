import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { submitIdea } from "#app/features/ideas/ideas.server.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { SESSION_COOKIE } from "#app/lib/security.ts";
import { DAY, now } from "#app/lib/clock.ts";
import { toLocalInput } from "#app/lib/dates.ts";

/** An open community with members (signed in: their session cookies), an idea from each, and a thread. */
export async function buildWorld(db: Kysely<Database>, options: { members: number; slug: string }) {
  const { userId: moderatorId } = await createAccount(db, { email: `mod-${options.slug}@example.com`, displayName: "Load Moderator", password: "a long password", role: "moderator" });
  const moderator = { id: moderatorId, role: "moderator" as const };
  await createCommunity(db, moderator, { name: `Load ${options.slug}`, slug: options.slug, purpose: "A community under load, for the reliability suite.", timeZone: "UTC", startsAt: toLocalInput(now() - DAY, "UTC"), endsAt: toLocalInput(now() + 7 * DAY, "UTC") });
  await publishCommunity(db, moderator, options.slug);
  const { community } = await getCommunityForActor(db, moderator, options.slug);
  const members: { id: string; cookie: string }[] = [];
  const ideas: string[] = [];
  for (let i = 0; i < options.members; i++) {
    const { userId } = await createAccount(db, { email: `load-${options.slug}-${i}@example.com`, displayName: `Load ${i}`, password: "a long password", role: "member" });
    await addMember(db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1 });
    members.push({ id: userId, cookie: `${SESSION_COOKIE}=${await createSession(db, userId)}` });
    ideas.push((await submitIdea(db, { id: userId, role: "member" }, options.slug, { title: `Idea ${i}`, body: "Under load." })).ideaId);
  }
  const { threadId } = await startThread(db, moderator, options.slug, { title: "Load thread", body: "Reply here." });
  return { members, ideas, threadId };
}

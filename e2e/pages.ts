import { withDatabase } from "./support.ts";

/**
 * The pages and readers the page-wide journeys walk: phones.spec.ts (nothing scrolls
 * sideways at 390 px) and accessibility.spec.ts (axe finds nothing serious). A new page is
 * one row here, and both check it; phones.spec.ts fails while a page route has no row.
 *
 * PAGES: every page route with the paths that show it. A route file without a row fails
 * the first test; a new page is one more row. `:thread`, `:pollThread`, `:idea`, `:closedThread`,
 * `:suggestion` and `:invitation` become real ids from the demo database. Each reader opens
 * the paths it may (a 200 that is not the sign-in page) and skips the rest: the access
 * matrix (reliability/access-matrix.spec.ts) checks who may open what.
 */
export const PAGES: [route: string, ...paths: string[]][] = [
  ["_index.tsx", "/"],
  ["login.tsx", "/login"],
  ["signup.tsx", "/signup"],
  ["invitations.$token.tsx", "/invitations/:invitation"],
  ["unsubscribe.$token.tsx", "/unsubscribe/not-a-real-token"],
  ["account.tsx", "/account"],
  ["account_.erase.tsx", "/account/erase"],
  ["notifications.tsx", "/notifications"],
  ["search.tsx", "/search?q=report", "/search?q=a-word-nobody-wrote"],
  ["communities.new.tsx", "/communities/new"],
  ["c.$slug._index.tsx", "/c/reporting-beta", "/c/integrations-council", "/c/workspace-pilot"],
  ["c.$slug.t.$threadId.tsx", "/c/reporting-beta/t/:thread", "/c/reporting-beta/t/:idea", "/c/integrations-council/t/:closedThread"],
  ["c.$slug.t.$threadId_.poll.tsx", "/c/reporting-beta/t/:pollThread/poll", "/c/reporting-beta/t/:thread/poll"],
  ["c.$slug.consent.tsx", "/c/reporting-beta/consent", "/c/reporting-beta/consent?confirm=withdraw"],
  ["follow-ups._index.tsx", "/follow-ups"],
  ["follow-ups.$id.tsx", "/follow-ups/:followUp", "/follow-ups/:answeredFollowUp"],
  ["c.$slug.completion.tsx", "/c/reporting-beta/completion"],
  ["c.$slug.ideas.tsx", "/c/reporting-beta/ideas", "/c/integrations-council/ideas"],
  ["c.$slug.readout.tsx", "/c/reporting-beta/readout", "/c/integrations-council/readout"],
  ["c.$slug.edit.tsx", "/c/reporting-beta/edit"],
  ["c.$slug.members.tsx", "/c/reporting-beta/members", "/c/integrations-council/members"],
  ["c.$slug.dashboard.tsx", "/c/reporting-beta/dashboard", "/c/integrations-council/dashboard"],
  ["moderation.tsx", "/moderation"],
  ["triage.tsx", "/triage", "/triage?state=all"],
  ["tags.tsx", "/tags"],
  ["audit.tsx", "/audit"],
  ["suggestions._index.tsx", "/suggestions", "/suggestions?view=columns"],
  ["suggestions.$id.tsx", "/suggestions/:suggestion"],
  ["dashboard.tsx", "/dashboard"],
  ["admin.outbox.tsx", "/admin/outbox"],
  ["admin.webhooks.tsx", "/admin/webhooks"],
  ["admin.settings.tsx", "/admin/settings"],
  ["admin.people._index.tsx", "/admin/people", "/admin/people?q=customer"],
  ["admin.people.$userId.tsx", "/admin/people/:person"],
  ["forgot-password.tsx", "/forgot-password"],
  ["reset-password.$token.tsx", "/reset-password/not-a-real-token"],
  ["nominations.tsx", "/nominations"],
  ["people.$userId.tsx", "/people/:person"],
];

/** Routes with no page of their own: downloads, redirects, health, and any unknown address (the 404 page, checked in hardening.spec.ts). */
export const NOT_PAGES = ["logout.tsx", "account_.email.tsx", "notifications_.$id.tsx", "$.tsx"];

export const READERS = [
  { name: "anonymous", email: null },
  { name: "participant", email: "lena@customer.example" },
  { name: "leader", email: "sam@customer.example" },
  { name: "moderator", email: "maya@cohort.example" },
  { name: "product reviewer", email: "priya@cohort.example" },
  { name: "admin", email: "ada@cohort.example" },
] as const;

/** The ids the `:name` placeholders in PAGES stand for, read from the demo database. */
export async function demoIds(): Promise<Record<string, string>> {
  return withDatabase(async (db) => {
    const inCommunity = (slug: string) =>
      db.selectFrom("threads").innerJoin("communities", "communities.id", "threads.community_id").select("threads.id").where("communities.slug", "=", slug).where("threads.visible_from", "<=", Date.now());
    // The discussion with the most replies: the longest page.
    const thread = await inCommunity("reporting-beta")
      .where("threads.kind", "!=", "idea")
      .orderBy((eb) => eb.selectFrom("replies").select(eb.fn.countAll().as("n")).whereRef("replies.thread_id", "=", "threads.id"), "desc")
      .executeTakeFirstOrThrow();
    const idea = await db.selectFrom("ideas").innerJoin("communities", "communities.id", "ideas.community_id").select("ideas.thread_id").where("communities.slug", "=", "reporting-beta").where("ideas.merged_into", "is", null).executeTakeFirstOrThrow();
    const closedThread = await inCommunity("integrations-council").executeTakeFirstOrThrow();
    // The suggestion with the most evidence.
    const suggestion = await db
      .selectFrom("suggestions")
      .select("id")
      .orderBy((eb) => eb.selectFrom("highlights").select(eb.fn.countAll().as("n")).whereRef("highlights.suggestion_id", "=", "suggestions.id"), "desc")
      .executeTakeFirstOrThrow();
    // The demo's pending invitations were mailed; the link is in the outbox.
    const mail = await db.selectFrom("outbox").select("text_body").where("text_body", "like", "%/invitations/%").executeTakeFirstOrThrow();
    const invitation = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    // Lena's profile: a bio, posts, and communities shared with most demo readers.
    const person = await db.selectFrom("users").select("id").where("email", "=", "lena@customer.example").executeTakeFirstOrThrow();
    // The demo's poll (on the Day 1 prompt).
    const pollThread = await db.selectFrom("polls").innerJoin("communities", "communities.id", "polls.community_id").select("polls.thread_id").where("communities.slug", "=", "reporting-beta").executeTakeFirstOrThrow();
    // Lena's open follow-up (its answer form) and Diego's answered one.
    const followUps = await db.selectFrom("follow_ups").select(["id", "answered_at"]).orderBy("created_at").execute();
    const followUp = followUps.find((f) => f.answered_at === null)!.id;
    const answeredFollowUp = followUps.find((f) => f.answered_at !== null)!.id;
    return { thread: thread.id, idea: idea.thread_id, closedThread: closedThread.id, suggestion: suggestion.id, invitation, person: person.id, pollThread: pollThread.thread_id, followUp, answeredFollowUp };
  });
}

/** A path from PAGES with its placeholders filled in. */
export function pathFor(template: string, ids: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_, key: string) => ids[key] ?? `:${key}`);
}

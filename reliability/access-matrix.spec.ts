import { readdirSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { BASE_URL, addParticipant, createUser, userIdByEmail, withDatabase } from "../e2e/support.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { SESSION_COOKIE } from "#app/lib/security.ts";

/**
 * Every route × every kind of reader, against the policy. A route file without a row here
 * fails the suite, so a new page cannot ship without someone deciding who may see it.
 *
 * Readers: anonymous; participant (Lena, in the open reporting beta); participant of
 * another community (June, not in it); its leader (Sam); a moderator (Maya); a product
 * reviewer (Priya); an admin (Ada); and a participant after closing (June, in the closed
 * integrations council). 302 for anonymous means "sent to sign in".
 */
type Reader = "anonymous" | "participant" | "otherCommunity" | "leader" | "moderator" | "product" | "admin" | "afterClose";
const READERS: Reader[] = ["anonymous", "participant", "otherCommunity", "leader", "moderator", "product", "admin", "afterClose"];
const EMAIL: Record<Exclude<Reader, "anonymous">, string> = {
  participant: "lena@customer.example",
  otherCommunity: "june@customer.example",
  leader: "sam@customer.example",
  moderator: "maya@cohort.example",
  product: "priya@cohort.example",
  admin: "ada@cohort.example",
  afterClose: "june@customer.example",
};
type Row = [anonymous: number, participant: number, otherCommunity: number, leader: number, moderator: number, product: number, admin: number, afterClose: number];

// The same for everyone signed in; anonymous readers are sent to sign in.
const SIGNED_IN: Row = [302, 200, 200, 200, 200, 200, 200, 200];
const COMMUNITY: Row = [302, 200, 404, 200, 200, 200, 200, 200];
const STAFF: Row = [302, 404, 404, 404, 200, 200, 200, 404];
const MODERATORS: Row = [302, 404, 404, 404, 200, 403, 200, 404];
const ADMINS: Row = [302, 403, 403, 403, 403, 403, 200, 403];

interface Expectation {
  /** The path to GET; `active` is the open community, `closed` the closed one for the after-close reader. */
  path: (ids: Ids) => { active: string; closed?: string };
  get: Row;
}
interface Ids {
  idea: string;
  thread: string;
  /** The reporting beta's thread with the demo's poll. */
  pollThread: string;
  closedThread: string;
  suggestion: string;
  /** A participant of the reporting beta only, for profiles; and one of Lena's notifications. */
  person: string;
  notification: string;
  /** The demo's suspended participant (Tom). */
  suspendedPerson: string;
  /** Lena's open private follow-up in the reporting beta; the thread and reply of Diego's that the matrix asks about. */
  followUp: string;
  followUpThread: string;
  followUpPost: string;
  /** A screenshot Lena attached to her answer to the (unmasked) Day 1 prompt of the reporting beta. */
  image: string;
}

const EXPECTATIONS: Record<string, Expectation> = {
  "_index.tsx": { path: () => ({ active: "/" }), get: [200, 200, 200, 200, 200, 200, 200, 200] },
  "login.tsx": { path: () => ({ active: "/login" }), get: [200, 302, 302, 302, 302, 302, 302, 302] },
  "signup.tsx": { path: () => ({ active: "/signup" }), get: [200, 302, 302, 302, 302, 302, 302, 302] },
  "logout.tsx": { path: () => ({ active: "/logout" }), get: [302, 302, 302, 302, 302, 302, 302, 302] },
  "healthz.ts": { path: () => ({ active: "/healthz" }), get: [200, 200, 200, 200, 200, 200, 200, 200] },
  // Any address no route claims: the not-found page for everyone, signed in or not.
  "$.tsx": { path: () => ({ active: "/no-such-page" }), get: [404, 404, 404, 404, 404, 404, 404, 404] },
  "invitations.$token.tsx": { path: () => ({ active: "/invitations/not-a-real-token" }), get: [404, 404, 404, 404, 404, 404, 404, 404] },
  "unsubscribe.$token.tsx": { path: () => ({ active: "/unsubscribe/not-a-real-token" }), get: [200, 200, 200, 200, 200, 200, 200, 200] },
  "account.tsx": { path: () => ({ active: "/account" }), get: SIGNED_IN },
  "account_.email.tsx": { path: () => ({ active: "/account/email" }), get: [302, 302, 302, 302, 302, 302, 302, 302] },
  "account_.erase.tsx": { path: () => ({ active: "/account/erase" }), get: SIGNED_IN },
  "account_.export.ts": { path: () => ({ active: "/account/export" }), get: SIGNED_IN },
  "notifications.tsx": { path: () => ({ active: "/notifications" }), get: SIGNED_IN },
  "search.tsx": { path: () => ({ active: "/search?q=report" }), get: SIGNED_IN },
  "communities.new.tsx": { path: () => ({ active: "/communities/new" }), get: [302, 403, 403, 403, 200, 403, 200, 403] },
  "c.$slug._index.tsx": { path: () => ({ active: "/c/reporting-beta", closed: "/c/integrations-council" }), get: COMMUNITY },
  "c.$slug.t.$threadId.tsx": { path: (ids) => ({ active: `/c/reporting-beta/t/${ids.thread}`, closed: `/c/integrations-council/t/${ids.closedThread}` }), get: COMMUNITY },
  "c.$slug.ideas.tsx": { path: () => ({ active: "/c/reporting-beta/ideas", closed: "/c/integrations-council/ideas" }), get: COMMUNITY },
  "c.$slug.readout.tsx": { path: () => ({ active: "/c/reporting-beta/readout", closed: "/c/integrations-council/readout" }), get: [302, 403, 404, 403, 200, 200, 200, 200] },
  "c.$slug.edit.tsx": { path: () => ({ active: "/c/reporting-beta/edit", closed: "/c/integrations-council/edit" }), get: [302, 403, 404, 403, 200, 403, 200, 403] },
  "c.$slug.members.tsx": { path: () => ({ active: "/c/reporting-beta/members", closed: "/c/integrations-council/members" }), get: [302, 403, 404, 403, 200, 403, 200, 403] },
  "c.$slug.dashboard.tsx": { path: () => ({ active: "/c/reporting-beta/dashboard", closed: "/c/integrations-council/dashboard" }), get: [302, 403, 404, 403, 200, 200, 200, 403] },
  // The poll page: a thread's poll, or the form to add one; the closed council's thread has none (404), and nobody may add one after close.
  "c.$slug.t.$threadId_.poll.tsx": { path: (ids) => ({ active: `/c/reporting-beta/t/${ids.pollThread}/poll`, closed: `/c/integrations-council/t/${ids.closedThread}/poll` }), get: [302, 200, 404, 200, 200, 200, 200, 404] },
  "c.$slug.consent.tsx": { path: () => ({ active: "/c/reporting-beta/consent", closed: "/c/integrations-council/consent" }), get: COMMUNITY },
  "c.$slug.consent[.]csv.ts": { path: () => ({ active: "/c/reporting-beta/consent.csv", closed: "/c/integrations-council/consent.csv" }), get: [302, 403, 404, 403, 200, 200, 200, 403] },
  "c.$slug.dashboard[.]csv.ts": { path: () => ({ active: "/c/reporting-beta/dashboard.csv?table=days", closed: "/c/integrations-council/dashboard.csv?table=days" }), get: [302, 403, 404, 403, 200, 200, 200, 403] },
  "moderation.tsx": { path: () => ({ active: "/moderation" }), get: [302, 403, 403, 403, 200, 403, 200, 403] },
  "triage.tsx": { path: () => ({ active: "/triage" }), get: MODERATORS },
  "tags.tsx": { path: () => ({ active: "/tags" }), get: MODERATORS },
  "tags[.]qdc.ts": { path: () => ({ active: "/tags.qdc" }), get: STAFF },
  "suggestions[.]qdpx.ts": { path: () => ({ active: "/suggestions.qdpx" }), get: STAFF },
  "c.$slug.export[.]qdpx.ts": { path: () => ({ active: "/c/reporting-beta/export.qdpx" }), get: STAFF },
  "audit.tsx": { path: () => ({ active: "/audit" }), get: MODERATORS },
  "suggestions._index.tsx": { path: () => ({ active: "/suggestions" }), get: STAFF },
  "suggestions.$id.tsx": { path: (ids) => ({ active: `/suggestions/${ids.suggestion}` }), get: STAFF },
  "suggestions[.]csv.ts": { path: () => ({ active: "/suggestions.csv" }), get: STAFF },
  "dashboard.tsx": { path: () => ({ active: "/dashboard" }), get: STAFF },
  "admin.outbox.tsx": { path: () => ({ active: "/admin/outbox" }), get: ADMINS },
  "admin.webhooks.tsx": { path: () => ({ active: "/admin/webhooks" }), get: ADMINS },
  // Whoever shares a community with the person (staff: anyone); the rest get the 404 of no one at all.
  "people.$userId.tsx": { path: (ids) => ({ active: `/people/${ids.person}` }), get: [302, 200, 404, 200, 200, 200, 200, 404] },
  // Only its owner opens a notification (302 to its link); for anyone else it does not exist.
  "notifications_.$id.tsx": { path: (ids) => ({ active: `/notifications/${ids.notification}` }), get: [302, 302, 404, 404, 404, 404, 404, 404] },
  "nominations.tsx": { path: () => ({ active: "/nominations" }), get: STAFF },
  "forgot-password.tsx": { path: () => ({ active: "/forgot-password" }), get: [200, 200, 200, 200, 200, 200, 200, 200] },
  "reset-password.$token.tsx": { path: () => ({ active: "/reset-password/not-a-real-token" }), get: [200, 200, 200, 200, 200, 200, 200, 200] },
  "admin.settings.tsx": { path: () => ({ active: "/admin/settings" }), get: ADMINS },
  "admin.people._index.tsx": { path: () => ({ active: "/admin/people?q=customer" }), get: ADMINS },
  "admin.people.$userId.tsx": { path: (ids) => ({ active: `/admin/people/${ids.suspendedPerson}` }), get: ADMINS },
  // Lena's private follow-up: Lena, staff and the beta's leader; anyone else, the 404 of no such follow-up.
  "follow-ups.$id.tsx": { path: (ids) => ({ active: `/follow-ups/${ids.followUp}` }), get: [302, 200, 404, 200, 200, 200, 200, 404] },
  // Open follow-ups: moderators, admins and whoever leads a community; product reviewers are refused, participants find nothing.
  "follow-ups._index.tsx": { path: () => ({ active: "/follow-ups" }), get: [302, 404, 404, 200, 200, 403, 200, 404] },
  "c.$slug.completion.tsx": { path: () => ({ active: "/c/reporting-beta/completion", closed: "/c/integrations-council/completion" }), get: [302, 403, 404, 403, 200, 200, 200, 403] },
  "c.$slug.completion[.]csv.ts": { path: () => ({ active: "/c/reporting-beta/completion.csv", closed: "/c/integrations-council/completion.csv" }), get: [302, 403, 404, 403, 200, 200, 200, 403] },
  // An image answers exactly as its post: 404 (never a sign-in redirect) to whoever may not read it.
  "attachments.$id.$variant.ts": { path: (ids) => ({ active: `/attachments/${ids.image}/thumb` }), get: [404, 200, 404, 200, 200, 200, 200, 404] },
  "c.$slug.attachments.ts": { path: () => ({ active: "/c/reporting-beta/attachments", closed: "/c/integrations-council/attachments" }), get: [404, 404, 404, 404, 404, 404, 404, 404] },
  "c.$slug.mentions.ts": { path: () => ({ active: "/c/reporting-beta/mentions?q=le", closed: "/c/integrations-council/mentions?q=le" }), get: COMMUNITY },
};

/**
 * Writes: a representative action per kind of page. Allowed readers either succeed (302 to
 * the result, 200 for a vote from JavaScript) or, where the form is deliberately incomplete,
 * get past the policy to validation (400): what matters is that the policy let them in.
 */
const WRITES: { what: string; path: (ids: Ids) => { active: string; closed?: string }; form: (ids: Ids) => Record<string, string>; row: Row }[] = [
  { what: "start a thread", path: () => ({ active: "/c/reporting-beta?index", closed: "/c/integrations-council?index" }), form: () => ({ title: "Matrix thread", body: "Posted by the access matrix." }), row: [302, 302, 404, 302, 302, 403, 302, 403] },
  { what: "reply", path: (ids) => ({ active: `/c/reporting-beta/t/${ids.thread}`, closed: `/c/integrations-council/t/${ids.closedThread}` }), form: () => ({ intent: "reply", body: "Matrix reply." }), row: [302, 302, 404, 302, 302, 403, 302, 403] },
  { what: "vote", path: () => ({ active: "/c/reporting-beta/ideas" }), form: (ids) => ({ intent: "vote", ideaId: ids.idea, via: "js" }), row: [302, 200, 404, 200, 403, 403, 403, 404] },
  { what: "pin a thread", path: (ids) => ({ active: `/c/reporting-beta/t/${ids.thread}`, closed: `/c/integrations-council/t/${ids.closedThread}` }), form: () => ({ intent: "pin" }), row: [302, 403, 404, 302, 302, 403, 302, 403] },
  { what: "edit the community", path: () => ({ active: "/c/reporting-beta/edit", closed: "/c/integrations-council/edit" }), form: () => ({ intent: "save" }), row: [302, 403, 404, 403, 400, 403, 400, 403] },
  { what: "invite", path: () => ({ active: "/c/reporting-beta/members", closed: "/c/integrations-council/members" }), form: () => ({ intent: "invite" }), row: [302, 403, 404, 403, 400, 403, 400, 403] },
  { what: "triage", path: () => ({ active: "/triage" }), form: () => ({ intent: "triage" }), row: [302, 404, 404, 404, 400, 403, 400, 404] },
  { what: "merge a likely duplicate from triage", path: () => ({ active: "/triage" }), form: () => ({ intent: "merge" }), row: [302, 404, 404, 404, 400, 403, 400, 404] },
  { what: "import a codebook", path: () => ({ active: "/tags" }), form: () => ({ intent: "import" }), row: [302, 404, 404, 404, 400, 403, 400, 404] },
  { what: "save a suggestion's page", path: (ids) => ({ active: `/suggestions/${ids.suggestion}` }), form: () => ({ intent: "save" }), row: [302, 404, 404, 404, 400, 400, 400, 404] },
  { what: "answer a suggestion", path: (ids) => ({ active: `/suggestions/${ids.suggestion}` }), form: () => ({ intent: "answer" }), row: [302, 404, 404, 404, 400, 400, 400, 404] },
  { what: "moderate", path: () => ({ active: "/moderation" }), form: () => ({ intent: "hide" }), row: [302, 403, 403, 403, 400, 403, 400, 403] },
  { what: "change one's profile", path: () => ({ active: "/account" }), form: () => ({ intent: "profile", displayName: "Moderator" }), row: [302, 400, 400, 400, 400, 400, 400, 400] },
  { what: "nominate", path: () => ({ active: "/nominations" }), form: () => ({ intent: "nominate", email: "not an address" }), row: [302, 404, 404, 404, 400, 400, 400, 404] },
  { what: "decline a nomination", path: () => ({ active: "/nominations" }), form: () => ({ intent: "decline", nominationId: "none", reason: "" }), row: [302, 404, 404, 404, 400, 403, 400, 404] },
  { what: "add a webhook", path: () => ({ active: "/admin/webhooks" }), form: () => ({ intent: "create", url: "not a url" }), row: [302, 403, 403, 403, 403, 403, 400, 403] },
  // An empty answer gets past the policy to "Choose an answer." (400); staff run polls, they do not answer them.
  { what: "answer a poll", path: (ids) => ({ active: `/c/reporting-beta/t/${ids.pollThread}/poll`, closed: `/c/integrations-council/t/${ids.closedThread}/poll` }), form: () => ({ intent: "answer" }), row: [302, 400, 404, 400, 403, 403, 403, 403] },
  // The thread already has its poll: those allowed get past the policy to 409, nothing is added.
  {
    what: "add a poll",
    path: (ids) => ({ active: `/c/reporting-beta/t/${ids.pollThread}/poll`, closed: `/c/integrations-council/t/${ids.closedThread}/poll` }),
    form: () => ({ intent: "create", question: "Matrix poll?", options: "Yes\nNo", choice: "single", results: "always" }),
    row: [302, 403, 404, 409, 409, 403, 409, 403],
  },
  // The demo's poll has answers: those who may change it get past the policy to "no longer change" (409), nothing changes.
  {
    what: "change a poll",
    path: (ids) => ({ active: `/c/reporting-beta/t/${ids.pollThread}/poll`, closed: `/c/integrations-council/t/${ids.closedThread}/poll` }),
    form: () => ({ intent: "edit", question: "Matrix poll?", options: "Yes\nNo", choice: "single", results: "always" }),
    row: [302, 403, 404, 409, 409, 403, 409, 403],
  },
  // Members agree again to the version they already agreed to (302); staff are not members.
  { what: "agree to the consent", path: () => ({ active: "/c/reporting-beta/consent" }), form: () => ({ intent: "agree", version: "2" }), row: [302, 302, 404, 302, 403, 403, 403, 404] },
  // Tried on the closed council so the open beta's members are not asked to agree again: Lena left it (404), its members are not its moderators (403).
  {
    what: "publish a consent version",
    path: () => ({ active: "/c/integrations-council/consent" }),
    form: () => ({ intent: "publish", collected: "Posts.", readers: "The team.", quotes: "Without names.", retention: "A year." }),
    row: [302, 404, 403, 403, 302, 403, 302, 403],
  },
  // Asking Diego about his reply: moderators and the beta's leader (302 to the thread); after close, nobody.
  { what: "ask a private follow-up", path: (ids) => ({ active: `/c/reporting-beta/t/${ids.followUpThread}`, closed: `/c/integrations-council/t/${ids.closedThread}` }), form: (ids) => ({ intent: "ask", kind: "reply", id: ids.followUpPost, question: "Asked by the access matrix?" }), row: [302, 403, 404, 302, 302, 403, 302, 404] },
  // Only Lena answers her follow-up: an empty answer gets her past the policy to validation (400); staff and the leader read it but may not answer (403).
  { what: "answer a private follow-up", path: (ids) => ({ active: `/follow-ups/${ids.followUp}` }), form: () => ({ body: "" }), row: [302, 400, 404, 403, 403, 403, 403, 404] },
  // Nudging an unknown prompt: the community's moderators get past the policy to "no such prompt" (404); the closed council takes no nudges.
  { what: "nudge non-answerers", path: () => ({ active: "/c/reporting-beta/completion", closed: "/c/integrations-council/completion" }), form: () => ({ intent: "nudge", prompt: "no-such-prompt" }), row: [302, 403, 404, 403, 404, 403, 404, 403] },
  // Without a file: those the policy lets upload get to "choose an image" (400).
  { what: "upload an image", path: () => ({ active: "/c/reporting-beta/attachments", closed: "/c/integrations-council/attachments" }), form: () => ({}), row: [302, 400, 404, 400, 400, 403, 400, 403] },
  // Closing now is tried on the closed council, so the matrix does not close the open beta: moderators get past the policy to "already closed" (409).
  { what: "close now", path: () => ({ active: "/c/integrations-council/edit" }), form: () => ({ intent: "close-now" }), row: [302, 404, 403, 403, 409, 403, 409, 403] },
  // Last, as it changes who is a member; the memberships are put back afterwards. Staff who are not members have nothing to leave (409).
  { what: "leave", path: () => ({ active: "/c/reporting-beta?index", closed: "/c/integrations-council?index" }), form: () => ({ intent: "leave" }), row: [302, 302, 404, 302, 409, 409, 409, 302] },
  // After "leave": members have already left (404); staff who are not members have nothing to withdraw from (409).
  { what: "withdraw", path: () => ({ active: "/c/reporting-beta/consent", closed: "/c/integrations-council/consent" }), form: () => ({ intent: "withdraw" }), row: [302, 404, 404, 404, 409, 409, 409, 404] },
  { what: "ask for a password reset link", path: () => ({ active: "/forgot-password" }), form: () => ({ email: "not an email" }), row: [400, 400, 400, 400, 400, 400, 400, 400] },
  { what: "set a password with a reset link", path: () => ({ active: "/reset-password/not-a-real-token" }), form: () => ({ password: "a long enough password" }), row: [404, 404, 404, 404, 404, 404, 404, 404] },
  { what: "change the instance settings", path: () => ({ active: "/admin/settings" }), form: () => ({ invitationContact: "x".repeat(600) }), row: [302, 403, 403, 403, 403, 403, 400, 403] },
  { what: "create an account", path: () => ({ active: "/admin/people?index" }), form: () => ({ email: "not an email", displayName: "Matrix", role: "admin" }), row: [302, 403, 403, 403, 403, 403, 400, 403] },
  // Tom is already suspended: the admin gets past the policy to "already suspended" (409), and nothing changes.
  { what: "suspend an account", path: (ids) => ({ active: `/admin/people/${ids.suspendedPerson}` }), form: () => ({ intent: "suspend" }), row: [302, 403, 403, 403, 403, 403, 409, 403] },
];

test("every route has an access expectation", () => {
  const routes = readdirSync("app/routes").filter((file) => !file.includes(".test."));
  expect(routes.filter((route) => !(route in EXPECTATIONS)), "routes without a row in the access matrix").toEqual([]);
  expect(Object.keys(EXPECTATIONS).filter((route) => !routes.includes(route)), "rows for routes that no longer exist").toEqual([]);
});

test("every reader gets exactly what the policy allows on every route", async ({ playwright }) => {
  const startedAt = Date.now();
  const ids: Ids = await withDatabase(async (db) => {
    const thread = await db.selectFrom("threads").innerJoin("communities", "communities.id", "threads.community_id").select("threads.id").where("communities.slug", "=", "reporting-beta").where("threads.kind", "=", "discussion").where("threads.visible_from", "<=", Date.now()).executeTakeFirstOrThrow();
    const closedThread = await db.selectFrom("threads").innerJoin("communities", "communities.id", "threads.community_id").select("threads.id").where("communities.slug", "=", "integrations-council").executeTakeFirstOrThrow();
    const suggestion = await db.selectFrom("suggestions").select("id").executeTakeFirstOrThrow();
    const idea = await db.selectFrom("ideas").innerJoin("communities", "communities.id", "ideas.community_id").select("ideas.thread_id").where("communities.slug", "=", "reporting-beta").where("ideas.merged_into", "is", null).executeTakeFirstOrThrow();
    const lena = await db.selectFrom("users").select("id").where("email", "=", EMAIL.participant).executeTakeFirstOrThrow();
    const notification = await db.selectFrom("notifications").select("id").where("user_id", "=", lena.id).where("created_at", "<=", Date.now()).executeTakeFirstOrThrow();
    const suspendedPerson = await db.selectFrom("users").select("id").where("email", "=", "tom@customer.example").executeTakeFirstOrThrow();
    const pollThread = await db.selectFrom("polls").innerJoin("communities", "communities.id", "polls.community_id").select("polls.thread_id").where("communities.slug", "=", "reporting-beta").executeTakeFirstOrThrow();
    const followUp = await db.selectFrom("follow_ups").select("id").where("participant_id", "=", lena.id).where("answered_at", "is", null).orderBy("created_at").executeTakeFirstOrThrow();
    // Asked about Diego's reply: he is no reader here, so he never leaves during the matrix.
    const diego = await db.selectFrom("users").select("id").where("email", "=", "diego@customer.example").executeTakeFirstOrThrow();
    const askAbout = await db.selectFrom("follow_ups").select(["thread_id", "post_id"]).where("participant_id", "=", diego.id).executeTakeFirstOrThrow();
    const image = await db.selectFrom("attachments").innerJoin("threads", "threads.id", "attachments.thread_id").select("attachments.id").where("attachments.owner_id", "=", lena.id).where("threads.masked", "=", 0).executeTakeFirstOrThrow();
    return { thread: thread.id, pollThread: pollThread.thread_id, closedThread: closedThread.id, suggestion: suggestion.id, idea: idea.thread_id, notification: notification.id, suspendedPerson: suspendedPerson.id, followUp: followUp.id, followUpThread: askAbout.thread_id, followUpPost: askAbout.post_id, image: image.id };
  }).then(async (found) => {
    const person = await createUser({ displayName: "Matrix Member" });
    await addParticipant("reporting-beta", person.userId);
    return { ...found, person: person.userId };
  });
  const failures: string[] = [];
  for (const reader of READERS) {
    const context: APIRequestContext = await playwright.request.newContext({ baseURL: BASE_URL });
    const headers: Record<string, string> = {};
    if (reader !== "anonymous") {
      const userId = await userIdByEmail(EMAIL[reader]);
      headers.Cookie = `${SESSION_COOKIE}=${await withDatabase((db) => createSession(db, userId))}`;
    }
    for (const [route, expectation] of Object.entries(EXPECTATIONS)) {
      const paths = expectation.path(ids);
      const path = reader === "afterClose" ? (paths.closed ?? paths.active) : paths.active;
      const expected = expectation.get[READERS.indexOf(reader)]!;
      const response = await context.get(path, { headers, maxRedirects: 0 });
      if (response.status() !== expected) failures.push(`${reader.padEnd(14)} GET ${path} → ${response.status()}, expected ${expected} (${route})`);
    }
    for (const write of WRITES) {
      const paths = write.path(ids);
      const path = reader === "afterClose" ? (paths.closed ?? paths.active) : paths.active;
      const expected = write.row[READERS.indexOf(reader)]!;
      const response = await context.post(path, { headers: { ...headers, Origin: BASE_URL }, form: write.form(ids), maxRedirects: 0 });
      if (response.status() !== expected) failures.push(`${reader.padEnd(14)} POST ${path} (${write.what}) → ${response.status()}, expected ${expected}`);
    }
    await context.dispose();
  }
  // Those who left in the matrix become members again, as they were (the demo's own departure stays).
  await withDatabase(async (db) => {
    const left = await db.selectFrom("former_memberships").selectAll().where("left_at", ">=", startedAt).execute();
    for (const { left_at: _, ...membership } of left) {
      // Back as they were, with the consent they had agreed to (the community's current version, in the demo).
      const { consent_version } = await db.selectFrom("communities").select("consent_version").where("id", "=", membership.community_id).executeTakeFirstOrThrow();
      await db.insertInto("memberships").values({ ...membership, dates_confirmed_at: membership.joined_at, consent_version }).execute();
      await db.deleteFrom("former_memberships").where("community_id", "=", membership.community_id).where("user_id", "=", membership.user_id).execute();
    }
  });
  expect(failures).toEqual([]);
});

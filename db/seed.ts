import { sql, type Kysely } from "kysely";
import type { DatabaseHandle } from "./client.ts";
import type { Database, GlobalRole, SuggestionStatus } from "./schema.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { updateProfile } from "#app/features/profiles/profiles.server.ts";
import { addMember, leaveCommunity } from "#app/features/communities/communities.server.ts";
import { answerFollowUp, askFollowUp } from "#app/features/follow-ups/follow-ups.server.ts";
import { editPost, removeOwnPost, replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { flagPost, setThreadState } from "#app/features/discussions/moderating.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { castVote, mergeIdea, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { answerSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { createTag } from "#app/features/triage/tags.server.ts";
import { createWebhook } from "#app/features/webhooks/webhooks.server.ts";
import { setInvitationContact } from "#app/features/settings/settings.server.ts";
import { suspendPerson } from "#app/features/people/people.server.ts";
import { dismissItem, triageItem } from "#app/features/triage/triage.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { inviteMembers } from "#app/features/invitations/invitations.server.ts";
import { publishConsent, recordAgreement } from "#app/features/consent/consent.server.ts";
import { answerPoll, createPoll } from "#app/features/polls/polls.server.ts";
import { DAY, HOUR, MINUTE, atTime, now } from "#app/lib/clock.ts";
import { isoDay } from "#app/lib/dates.ts";
import { hashToken, newId, newToken } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import sharp from "sharp";
import { storeImage } from "#app/features/attachments/attachments.server.ts";

export interface DemoAccount {
  email: string;
  displayName: string;
  role: GlobalRole;
  what: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: "ada@cohort.example", displayName: "Ada Lovelace", role: "admin", what: "admin: everything, plus users and roles" },
  { email: "maya@cohort.example", displayName: "Maya Chen", role: "moderator", what: "moderator: runs communities and triage" },
  { email: "priya@cohort.example", displayName: "Priya Raman", role: "product", what: "product reviewer: reviews suggestions" },
  { email: "sam@customer.example", displayName: "Sam Okafor", role: "member", what: "participant" },
  { email: "lena@customer.example", displayName: "Lena Fischer", role: "member", what: "participant" },
  { email: "diego@customer.example", displayName: "Diego Alvarez", role: "member", what: "participant" },
  { email: "june@customer.example", displayName: "June Park", role: "member", what: "participant" },
];

const DEMO_BIOS: [string, string][] = [
  ["lena@customer.example", "Finance operations lead at a 40-person agency in Leipzig.\nI live in the weekly revenue reports, and in spreadsheets when they fall short."],
  ["sam@customer.example", "Head of RevOps at a logistics company; customer since 2019.\nI lead the reporting beta's discussions: ask me anything about exports and integrations."],
];

/** A participant an admin suspended: his posts stay, he cannot sign in (not in DEMO_ACCOUNTS, which all sign in). */
export const SUSPENDED_DEMO_ACCOUNT: DemoAccount = { email: "tom@customer.example", displayName: "Tom Becker", role: "member", what: "participant, suspended by Ada" };

/** A database with no accounts is new: the only kind that is ever seeded automatically. */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
  return Number(row.count) === 0;
}

/**
 * Whether start-up seeds the demo: only into an empty database, and on a production
 * deployment (NODE_ENV=production set by the operator) only when SEED_DEMO=1 asks for it.
 */
export function shouldSeedDemo(options: { empty: boolean; deployedInProduction: boolean; seedDemo?: "0" | "1" }): boolean {
  if (!options.empty || options.seedDemo === "0") return false;
  return options.seedDemo === "1" || !options.deployedInProduction;
}

export { generatePassword } from "#app/features/auth/password.server.ts";

interface DemoCommunity {
  slug: string;
  name: string;
  purpose: string;
  /** Relative to the moment of seeding, so the demo always shows each phase. */
  startsIn: number;
  endsIn: number;
  timeZone: string;
  voteBudget: number | null;
  /** Bias controls: hidden counts and a shuffled list per member. */
  hideVoteCounts?: boolean;
  members: { email: string; role: "participant" | "leader" | "moderator"; source?: string; attributes?: Record<string, string> }[];
}

const DEMO_COMMUNITIES: DemoCommunity[] = [
  {
    slug: "reporting-beta",
    name: "Reporting beta: what do your dashboards miss?",
    purpose:
      "We are rebuilding **reporting** and want to hear from the people who live in it every week.\n\n" +
      "- Which reports do you export to a spreadsheet, and why?\n- What question can you not answer today?\n- Which ideas would you put your votes on?\n\n" +
      "Everything you write here is read by the product team, and you will hear what became of it.",
    startsIn: -5 * DAY,
    endsIn: 9 * DAY,
    timeZone: "Europe/Berlin",
    voteBudget: 10,
    members: [
      { email: "sam@customer.example", role: "leader", source: "Support ticket #4821", attributes: { segment: "enterprise", region: "EU" } },
      { email: "lena@customer.example", role: "participant", source: "User forum", attributes: { segment: "smb", region: "EU" } },
      { email: "diego@customer.example", role: "participant", source: "Customer conference 2026", attributes: { segment: "enterprise", region: "LATAM" } },
    ],
  },
  {
    slug: "workspace-pilot",
    name: "Workspace pilot: what would make your team switch?",
    purpose:
      "Two weeks with the new shared workspace. Tell us what would make your whole team move to it, and vote for the ideas that matter to you.\n\n" +
      "_Vote counts stay hidden until the pilot closes, and everyone sees the ideas in their own order, so the first ideas do not win just for being first._",
    startsIn: -2 * DAY,
    endsIn: 12 * DAY,
    timeZone: "America/Sao_Paulo",
    voteBudget: null,
    hideVoteCounts: true,
    members: [
      { email: "lena@customer.example", role: "participant", attributes: { segment: "smb", region: "EU" } },
      { email: "diego@customer.example", role: "participant", attributes: { segment: "enterprise", region: "LATAM" } },
      { email: "june@customer.example", role: "participant", attributes: { segment: "consumer", region: "NA" } },
    ],
  },
  {
    slug: "mobile-onboarding",
    name: "Mobile onboarding study",
    purpose:
      "A two-week study of the first hour in our mobile app. We will post a research prompt each morning; " +
      "answer from your phone whenever it suits you.",
    startsIn: 3 * DAY + 2 * HOUR,
    endsIn: 17 * DAY,
    timeZone: "America/New_York",
    voteBudget: null,
    members: [
      { email: "june@customer.example", role: "participant", source: "App store review", attributes: { segment: "consumer", region: "NA" } },
      { email: "lena@customer.example", role: "participant", attributes: { segment: "smb", region: "EU" } },
    ],
  },
  {
    slug: "integrations-council",
    name: "Integrations council, spring",
    purpose: "Six weeks on which integrations matter most and what breaks in the ones you use. This community has closed; thank you all.",
    startsIn: -60 * DAY,
    endsIn: -18 * DAY,
    timeZone: "Asia/Singapore",
    voteBudget: null,
    members: [
      { email: "sam@customer.example", role: "participant", attributes: { segment: "enterprise", region: "EU" } },
      { email: "diego@customer.example", role: "participant", attributes: { segment: "enterprise", region: "LATAM" } },
      { email: "june@customer.example", role: "participant", attributes: { segment: "consumer", region: "NA" } },
    ],
  },
];

/** How long before today the demo's accounts were made: before the oldest community (60 days ago) began. */
const ACCOUNTS_AGE = 120 * DAY;

/** Fill an empty database with the demo: its accounts (all sharing one password) and communities in each phase. */
export async function seedDemo(db: Kysely<Database>, password: string, options: { siteOrigin?: string } = {}): Promise<DemoAccount[]> {
  const ids = new Map<string, string>();
  // Accounts (and below, memberships) date from before anything their owners wrote, so no
  // page says someone joined after they posted.
  const accountsCreated = Math.floor(now() / HOUR) * HOUR - ACCOUNTS_AGE;
  for (const account of DEMO_ACCOUNTS) {
    const { userId } = await atTime(accountsCreated, () => createAccount(db, { email: account.email, displayName: account.displayName, password, role: account.role }));
    ids.set(account.email, userId);
  }
  // Profiles: two members wrote a bio (open their names on any post).
  for (const [email, bio] of DEMO_BIOS) {
    const account = DEMO_ACCOUNTS.find((a) => a.email === email)!;
    await updateProfile(db, { id: ids.get(email)!, role: account.role }, { displayName: account.displayName, bio });
  }
  // On the hour, so the demo's dates read like dates a person would choose.
  const at = Math.floor(now() / HOUR) * HOUR;
  const moderator = ids.get("maya@cohort.example")!;
  for (const community of DEMO_COMMUNITIES) {
    const id = newId();
    await db
      .insertInto("communities")
      .values({
        id,
        slug: community.slug,
        name: community.name,
        purpose_markdown: community.purpose,
        purpose_html: renderMarkdown(community.purpose),
        starts_at: at + community.startsIn,
        ends_at: at + community.endsIn,
        time_zone: community.timeZone,
        vote_budget: community.voteBudget,
        hide_vote_counts: community.hideVoteCounts ? 1 : 0,
        random_idea_order: community.hideVoteCounts ? 1 : 0,
        published_at: at + Math.min(community.startsIn, 0) - 7 * DAY,
        archived_at: null,
        created_by: moderator,
        created_at: at + Math.min(community.startsIn, 0) - 10 * DAY,
        updated_at: at,
      })
      .execute();
    // Members joined the day after it was published, before it opened.
    const joined = at + Math.min(community.startsIn, 0) - 6 * DAY;
    for (const member of community.members) {
      await atTime(joined, () =>
        addMember(db, {
          communityId: id,
          userId: ids.get(member.email)!,
          role: member.role,
          datesConfirmedAt: joined,
          source: member.source ?? null,
          attributes: member.attributes,
        }),
      );
    }
  }
  await seedInvitationHistory(db, ids, at);
  await seedNominations(db, ids, at);
  await seedConversations(db, ids, at);
  await seedIdeas(db, ids, at);
  // Lena was in the integrations council and left it a week before it closed: her home page
  // lists it under "Communities you left", and its readout is still hers.
  const council = await db.selectFrom("communities").select("id").where("slug", "=", "integrations-council").executeTakeFirstOrThrow();
  const lena = ids.get("lena@customer.example")!;
  await atTime(at - 50 * DAY, () => addMember(db, { communityId: council.id, userId: lena, role: "participant", datesConfirmedAt: at - 50 * DAY, attributes: { segment: "smb", region: "EU" } }));
  await atTime(at - 25 * DAY, () => leaveCommunity(db, { id: lena, role: "member" }, "integrations-council"));
  await seedSuspendedMember(db, ids, password, at);
  await seedStudyTools(db, ids, at);
  // An issue tracker listening for suggestions (its deliveries below are a made-up history).
  await createWebhook(db, { id: ids.get("ada@cohort.example")!, role: "admin" }, { url: "https://tracker.example.com/cohort-hooks", events: ["suggestion.created", "suggestion.status_changed"] });
  // What a visitor without an invitation is told on the landing and sign-up pages.
  await setInvitationContact(
    db,
    { id: ids.get("ada@cohort.example")!, role: "admin" },
    "Our research communities are by invitation. To take part, write to [research@cohort.example](mailto:research@cohort.example) with your company and the product you use; the research team answers within two working days.",
  );
  await seedTriage(db, ids, at, options.siteOrigin ?? "http://localhost:3000");
  await db
    .updateTable("webhook_deliveries")
    .set({ attempts: 1, last_status: 200, last_response: '{"received":true}', delivered_at: sql`created_at + 1200`, next_attempt_at: null })
    .execute();

  // Invitations waiting to be accepted, readable at /admin/outbox.
  await inviteMembers(
    db,
    { id: moderator, role: "moderator" },
    "mobile-onboarding",
    {
      emails: "alex@prospect.example, rosa@prospect.example",
      role: "participant",
      note: "You told us onboarding on the phone was confusing. Help us fix it!",
      source: "App store review",
      attributes: { segment: "consumer", region: "NA" },
    },
    { siteOrigin: options.siteOrigin ?? "http://localhost:3000" },
  );
  return DEMO_ACCOUNTS;
}

/**
 * How the reporting beta's members arrived: five invitations sent before it opened, four
 * opened, three accepted (Sam, Lena, Diego), so its dashboard has a funnel to show.
 */
async function seedInvitationHistory(db: Kysely<Database>, ids: Map<string, string>, at: number): Promise<void> {
  const community = await db.selectFrom("communities").select(["id", "starts_at"]).where("slug", "=", "reporting-beta").executeTakeFirstOrThrow();
  const sent = community.starts_at - 6 * DAY;
  const invitation = (email: string, opened: number | null, accepted: number | null) => ({
    id: newId(),
    community_id: community.id,
    email,
    token_hash: hashToken(newToken()),
    role: "participant" as const,
    note: "You have told us a lot about reports. Help us rebuild them.",
    source: "Customer success",
    attributes: "{}",
    invited_by: ids.get("maya@cohort.example")!,
    created_at: sent,
    sent_at: sent,
    expires_at: community.starts_at + 14 * DAY,
    opened_at: opened,
    accepted_at: accepted,
    accepted_by: accepted ? (ids.get(email) ?? null) : null,
    revoked_at: null,
  });
  await db
    .insertInto("invitations")
    .values([
      invitation("sam@customer.example", sent + 2 * HOUR, sent + 3 * HOUR),
      invitation("lena@customer.example", sent + DAY, sent + DAY + HOUR),
      invitation("diego@customer.example", sent + 2 * DAY, sent + 2 * DAY + 4 * HOUR),
      invitation("kim@prospect.example", sent + 3 * DAY, null),
      invitation("noor@prospect.example", null, null),
    ])
    .execute();
}

/**
 * Nominations: Diego came to the reporting beta from Priya's nomination (his invitation and
 * membership carry it), and Priya's nomination of Omar waits for a moderator at /nominations.
 */
async function seedNominations(db: Kysely<Database>, ids: Map<string, string>, at: number): Promise<void> {
  const priya = ids.get("priya@cohort.example")!;
  const maya = ids.get("maya@cohort.example")!;
  const community = await db.selectFrom("communities").select(["id", "starts_at"]).where("slug", "=", "reporting-beta").executeTakeFirstOrThrow();
  const nomination = (values: { email: string; name: string; quote: string; found_where: string; created_at: number; ask_to_lead: 0 | 1 }) => ({
    id: newId(),
    ...values,
    community_id: community.id,
    nominated_by: priya,
    status: "open" as const,
    decided_by: null,
    decided_at: null,
    decline_reason: null,
    joined_at: null,
  });
  const diego = nomination({
    email: "diego@customer.example",
    name: "Diego Alvarez",
    quote: "We rebuild the same regional revenue report by hand every Monday; if I could schedule it per region I would show it to our whole board.",
    found_where: "Customer conference 2026, the reporting workshop",
    created_at: community.starts_at - 8 * DAY,
    ask_to_lead: 0,
  });
  const source = "Nominated by Priya Raman: Customer conference 2026, the reporting workshop";
  await db
    .insertInto("nominations")
    .values([
      { ...diego, status: "joined", decided_by: maya, decided_at: community.starts_at - 6 * DAY, joined_at: community.starts_at - 4 * DAY },
      nomination({
        email: "omar@customer.example",
        name: "Omar Haddad",
        quote: "Your dashboards are the reason we renewed, but I export everything to Excel because I cannot compare two quarters side by side. I have a list of ten reports I'd build tomorrow.",
        found_where: "Support ticket https://support.cohort.example/tickets/5173",
        created_at: at - 2 * DAY - 3 * HOUR,
        ask_to_lead: 1,
      }),
    ])
    .execute();
  await db.updateTable("invitations").set({ nomination_id: diego.id, source }).where("community_id", "=", community.id).where("email", "=", "diego@customer.example").execute();
  await db.updateTable("memberships").set({ source }).where("community_id", "=", community.id).where("user_id", "=", ids.get("diego@customer.example")!).execute();
}

/** A made-up screenshot (drawn, no text, so it needs no fonts): a chart, a spreadsheet or a phone dashboard. */
function screenshot(kind: "bars" | "sheet" | "pipeline"): string {
  const [w, h] = kind === "pipeline" ? [390, 720] : [1200, 750];
  const shapes: string[] = [`<rect width="${w}" height="${h}" fill="#f8fafc"/>`, `<rect width="${w}" height="56" fill="#4338ca"/>`, `<rect x="24" y="18" width="160" height="20" rx="4" fill="#c7d2fe"/>`];
  if (kind === "bars") {
    [310, 420, 380, 520, 470, 600, 560, 640].forEach((v, i) => shapes.push(`<rect x="${80 + i * 135}" y="${700 - v}" width="90" height="${v}" rx="6" fill="${i === 7 ? "#f59e0b" : "#6366f1"}"/>`));
  } else if (kind === "sheet") {
    for (let r = 0; r < 16; r++) for (let c = 0; c < 9; c++) shapes.push(`<rect x="${24 + c * 128}" y="${80 + r * 40}" width="120" height="32" fill="${r === 0 ? "#cbd5e1" : c === 2 || c === 5 ? "#fde68a" : "#e2e8f0"}"/>`);
  } else {
    ["#22c55e", "#3b82f6", "#a855f7", "#f97316"].forEach((fill, i) => shapes.push(`<rect x="20" y="${100 + i * 150}" width="${520 - i * 60}" height="110" rx="10" fill="${fill}"/>`));
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${shapes.join("")}</svg>`;
}

/**
 * Conversations written through the same use cases members use, as they would have been over
 * the past days: prompts (one masked, one scheduled for tomorrow, one pinned), threads with
 * replies, an edit, a removal, a locked thread, a flagged post waiting in the moderation
 * queue, and read state so the thread list shows unread markers.
 */
async function seedConversations(db: Kysely<Database>, ids: Map<string, string>, at: number): Promise<void> {
  const actor = (email: string): Actor => {
    const account = DEMO_ACCOUNTS.find((a) => a.email === email)!;
    return { id: ids.get(email)!, role: account.role };
  };
  const [maya, sam, lena, diego, june] = ["maya@cohort.example", "sam@customer.example", "lena@customer.example", "diego@customer.example", "june@customer.example"].map(actor) as [Actor, Actor, Actor, Actor, Actor];
  let clock = at;
  /** Write as `who`, `ago` before the seed's "now"; successive writes stay a few minutes apart. */
  const when = <T>(ago: number, work: () => Promise<T>) => {
    clock = Math.max(at - ago, clock + 7 * MINUTE);
    return atTime(clock, work);
  };
  const thread = (ago: number, who: Actor, slug: string, title: string, body: string, prompt?: { masked: boolean; appearsAt: string | null }) =>
    when(ago, () => startThread(db, who, slug, { title, body, prompt })).then(({ threadId }) => threadId);
  const reply = (ago: number, who: Actor, slug: string, threadId: string, body: string, images: { svg: string; alt: string }[] = []) =>
    when(ago, async () => {
      // Screenshots go through the same processing and storage as any upload.
      const stored = [];
      for (const image of images) stored.push({ id: (await storeImage(db, who, slug, await sharp(Buffer.from(image.svg)).png().toBuffer())).id, alt: image.alt });
      return replyToThread(db, who, slug, threadId, { body, images: stored });
    }).then(({ replyId }) => replyId);

  // The closed community: read only now.
  clock = at - 45 * DAY;
  const council = "integrations-council";
  const sync = await thread(40 * DAY, june, council, "The calendar sync drops recurring events", "Recurring events only sync the first occurrence. We rely on them for every weekly meeting.");
  await reply(40 * DAY - HOUR, sam, council, sync, "We see the same with the Outlook connector.");
  await reply(39 * DAY, diego, council, sync, "And with Google Calendar when the series was created on a phone.");

  const beta = "reporting-beta";
  clock = at - 5 * DAY;
  const routine = await thread(
    4 * DAY + 20 * HOUR,
    maya,
    beta,
    "Day 1: walk us through your Monday reporting routine",
    "Welcome, everyone! To start, tell us **step by step** what you do with reports on a Monday morning: which ones you open, what you copy where, and what you wish happened on its own.",
    { masked: false, appearsAt: null },
  );
  const lenaRoutine = await reply(4 * DAY + 18 * HOUR, lena, beta, routine, "1. Open the weekly revenue report.\n2. Export it, and the two regional ones.\n3. Merge them in a spreadsheet.\n\nStep 3 takes most of the hour. Screenshots of both ends below.", [
    { svg: screenshot("bars"), alt: "The weekly revenue report: a bar chart of revenue per week, numbers blurred" },
    { svg: screenshot("sheet"), alt: "My merged spreadsheet: three reports pasted side by side, columns highlighted by hand" },
  ]);
  const diegoRoutine = await reply(4 * DAY + 12 * HOUR, diego, beta, routine, "I only look at the pipeline dashboard, but I check it on my phone on the train, where the charts do not fit the screen.");
  await reply(4 * DAY + 10 * HOUR, sam, beta, routine, "Same routine as @Lena Fischer, plus I forward a PDF to our CFO, who never logs in.");
  await when(4 * DAY, () => setThreadState(db, maya, beta, routine, { pinned: true }));

  const exports = await thread(3 * DAY, lena, beta, "We export every report to a spreadsheet", "Every Monday I export **all three** weekly reports and merge them by hand. A single combined view would save me an hour.");
  await reply(3 * DAY - HOUR, diego, beta, exports, "Same here. We also need the numbers per region, which no report has.");
  await reply(3 * DAY - 2 * HOUR, sam, beta, exports, "Could you both say which columns you keep after merging? That tells the team what the combined view needs.");
  // Sam has read this far; what follows shows as new to him.
  await when(3 * DAY - 2 * HOUR + 5 * MINUTE, () => readThread(db, sam, beta, exports));
  const columns = await reply(3 * DAY - 3 * HOUR, lena, beta, exports, "Account, region, monthly revenue and the change since last month. Everything else I delete.");
  await when(3 * DAY - 3 * HOUR + 30 * MINUTE, () =>
    editPost(db, lena, beta, exports, { kind: "reply", id: columns }, { body: "Account, region, monthly revenue and the change since last month. Everything else I delete.\n\n_Edit: and the account owner, for follow-ups._" }),
  );
  const oops = await reply(2 * DAY + 6 * HOUR, diego, beta, exports, "Posted this in the wrong thread, sorry.");
  await when(2 * DAY + 5 * HOUR, () => removeOwnPost(db, diego, beta, exports, { kind: "reply", id: oops }));

  const keep = await thread(
    2 * DAY,
    maya,
    beta,
    "If you could keep only one report, which would it be?",
    "Before you read anyone else's answer: if every report but **one** disappeared tomorrow, which one would you keep, and what would you do without the others?\n\n_This prompt is masked: you will see the other answers once you have posted yours._",
    { masked: true, appearsAt: null },
  );
  await reply(2 * DAY - 3 * HOUR, diego, beta, keep, "The pipeline dashboard. Everything else I can ask finance for. This is the view I mean:", [
    { svg: screenshot("pipeline"), alt: "The pipeline dashboard on a phone: stages as stacked bars, cut off at the right edge" },
  ]);
  await reply(2 * DAY - 4 * HOUR, sam, beta, keep, "The weekly revenue report, because it is what our CFO reads.");

  const zones = await thread(1 * DAY, diego, beta, "Scheduled reports arrive in the wrong time zone", "Our scheduled report arrives at 3am local time. It should follow the time zone of the person receiving it.");
  await reply(1 * DAY - HOUR, maya, beta, zones, "Thanks Diego, that is a clear one. Does it happen for every schedule or only the weekly one?");
  const rant = await reply(1 * DAY - 2 * HOUR, diego, beta, zones, "Every schedule. Honestly, whoever built the scheduler should be ashamed. Ring me on +49 170 5550123 and I will tell you what I really think.");
  await when(1 * DAY - 90 * MINUTE, () => flagPost(db, lena, beta, zones, { kind: "reply", id: rant }, { reason: "personal-data", note: "A phone number in a post everyone can read, and a bit harsh." }));

  const pdf = await thread(20 * HOUR, maya, beta, "Known issue: PDF exports cut off wide tables", "Thanks to everyone who reported it. A fix ships on Thursday; we will post in this thread when it is live.");
  await reply(19 * HOUR, sam, beta, pdf, "Thank you! That is the one our CFO kept asking about.");
  await when(18 * HOUR, () => setThreadState(db, maya, beta, pdf, { locked: true }));

  // Private follow-ups: Sam (the leader) asked Diego, who answered; Maya's question to Lena
  // still needs her reply (her home page says so, and it waits in /follow-ups).
  const mobile = await when(4 * DAY, () =>
    askFollowUp(db, sam, beta, routine, { kind: "reply", id: diegoRoutine }, { question: "Which chart is the worst on the phone, and what do you need to read from it on the train?" }),
  );
  await when(3 * DAY + 20 * HOUR, () =>
    answerFollowUp(db, diego, mobile.followUpId, { body: "The pipeline funnel. I only need the total and the change since Friday; a single number would do." }),
  );
  await when(16 * HOUR, () =>
    askFollowUp(db, maya, beta, routine, { kind: "reply", id: lenaRoutine }, { question: "You said merging takes most of the hour. Which part of the merge is slowest, and which tool do you merge in?" }),
  );

  // Appears tomorrow morning: moderators and the leader see it now, participants from then.
  const tomorrow = isoDay(at + DAY);
  await when(HOUR, () =>
    startThread(db, sam, beta, {
      title: "Show us a report you are proud of",
      body: "Share a screenshot (with the numbers blurred) of a report you built yourself, and tell us what it answers that ours do not.",
      prompt: { masked: false, appearsAt: `${tomorrow}T09:00` },
    }),
  );
}

/**
 * Study tools in the reporting beta: two consent versions (members agreed to the first on
 * joining and to the second when it came; Tom, suspended, only to the first), and a poll with
 * masked results on the Day 1 prompt that Sam and Diego answered and Lena has not, so she
 * sees no results until she answers.
 */
async function seedStudyTools(db: Kysely<Database>, ids: Map<string, string>, at: number): Promise<void> {
  const maya: Actor = { id: ids.get("maya@cohort.example")!, role: "moderator" };
  const sam: Actor = { id: ids.get("sam@customer.example")!, role: "member" };
  const diego: Actor = { id: ids.get("diego@customer.example")!, role: "member" };
  const beta = await db.selectFrom("communities").select(["id", "starts_at"]).where("slug", "=", "reporting-beta").executeTakeFirstOrThrow();
  const consent = {
    collected: "What you post, reply, vote and answer in this community, and the segment and region your invitation named.",
    readers: "Cohort's research and product teams. Nobody outside the company.",
    quotes: "We may quote your words in internal product documents with your display name removed.",
    retention: "Until the end of 2027, then deleted or anonymised.",
    incentive: "A 50 EUR voucher once the beta closes, whatever you post.",
  };
  await atTime(beta.starts_at - 10 * DAY, () => publishConsent(db, maya, "reporting-beta", consent));
  const members = await db.selectFrom("memberships").select(["user_id", "joined_at"]).where("community_id", "=", beta.id).where("role", "!=", "moderator").execute();
  for (const member of members) await atTime(Math.max(member.joined_at, beta.starts_at - 9 * DAY), () => recordAgreement(db, beta.id, member.user_id, 1));
  await atTime(at - 2 * DAY, () => publishConsent(db, maya, "reporting-beta", { ...consent, retention: "Until the end of 2027. Quotes used in a published case study are kept as long as the case study." }));
  for (const [i, email] of ["sam@customer.example", "lena@customer.example", "diego@customer.example"].entries()) {
    await atTime(at - 2 * DAY + (i + 1) * 3 * HOUR, () => recordAgreement(db, beta.id, ids.get(email)!, 2));
  }

  const routine = await db.selectFrom("threads").select("id").where("community_id", "=", beta.id).where("title", "like", "Day 1:%").executeTakeFirstOrThrow();
  await atTime(at - 4 * DAY, () =>
    createPoll(db, sam, "reporting-beta", routine.id, {
      question: "Which report do you open first on a Monday?",
      options: ["Weekly revenue", "Pipeline dashboard", "Regional reports"],
      choice: "single",
      allowOther: true,
      results: "after-answering",
    }),
  );
  const options = await db.selectFrom("poll_options").innerJoin("polls", "polls.id", "poll_options.poll_id").select(["poll_options.id", "poll_options.label"]).where("polls.thread_id", "=", routine.id).execute();
  const option = (label: string) => options.find((o) => o.label === label)!.id;
  await atTime(at - 4 * DAY + HOUR, () => answerPoll(db, sam, "reporting-beta", routine.id, { choices: [{ optionId: option("Weekly revenue"), rank: null }], other: null }));
  await atTime(at - 3 * DAY, () => answerPoll(db, diego, "reporting-beta", routine.id, { choices: [], other: "The pipeline, but on my phone" }));
}

/** Tom wrote in the reporting beta, then Ada suspended him: his posts stay on the page, he cannot sign in. */
async function seedSuspendedMember(db: Kysely<Database>, ids: Map<string, string>, password: string, at: number): Promise<void> {
  const { email, displayName, role } = SUSPENDED_DEMO_ACCOUNT;
  const { userId } = await atTime(at - ACCOUNTS_AGE, () => createAccount(db, { email, displayName, password, role }));
  const beta = (await db.selectFrom("communities").select("id").where("slug", "=", "reporting-beta").executeTakeFirstOrThrow()).id;
  await atTime(at - 5 * DAY, () => addMember(db, { communityId: beta, userId, role: "participant", datesConfirmedAt: at - 5 * DAY, source: "Sales referral", attributes: { segment: "smb", region: "EU" } }));
  const tom: Actor = { id: userId, role };
  const { threadId } = await atTime(at - 4 * DAY - 2 * HOUR, () =>
    startThread(db, tom, "reporting-beta", { title: "Reports should land in my inbox as a PDF", body: "I would rather not log in at all. Send me every report as a PDF on Monday at 7, please." }),
  );
  await atTime(at - 4 * DAY - HOUR, () => replyToThread(db, tom, "reporting-beta", threadId, { body: "And the same PDF to my whole team, without them needing accounts." }));
  await atTime(at - DAY, () => suspendPerson(db, { id: ids.get("ada@cohort.example")!, role: "admin" }, userId));
}

/**
 * Ideas with votes: the reporting beta spends a budget of 10 votes each, one duplicate was
 * merged; the workspace pilot hides its counts and shuffles its ideas per member.
 */
async function seedIdeas(db: Kysely<Database>, ids: Map<string, string>, at: number): Promise<void> {
  const actor = (email: string): Actor => ({ id: ids.get(email)!, role: DEMO_ACCOUNTS.find((a) => a.email === email)!.role });
  const [maya, sam, lena, diego, june] = ["maya@cohort.example", "sam@customer.example", "lena@customer.example", "diego@customer.example", "june@customer.example"].map(actor) as [Actor, Actor, Actor, Actor, Actor];
  // The conversations were written up to an hour ago; these go back to four days ago, so
  // forget the posting limits' windows (they only make sense as time moves forward).
  await db.deleteFrom("rate_limits").execute();
  let clock = at - 4 * DAY;
  const step = <T>(work: () => Promise<T>) => {
    clock += 3 * HOUR;
    return atTime(clock, work);
  };
  const idea = (who: Actor, slug: string, title: string, body: string) => step(() => submitIdea(db, who, slug, { title, body })).then(({ ideaId }) => ideaId);
  const vote = (who: Actor, slug: string, ideaId: string) => step(() => castVote(db, who, slug, ideaId, true));

  const beta = "reporting-beta";
  const combined = await idea(lena, beta, "One combined weekly report", "Merge the revenue, pipeline and regional reports into one view I can filter, instead of three exports.");
  const regions = await idea(diego, beta, "Numbers per region in every report", "A region column (and filter) in every report; today only the regional one has it.");
  const phone = await idea(diego, beta, "Dashboards that fit a phone screen", "Charts reflow to one column on a phone, so I can read the pipeline on the train.");
  const zones = await idea(sam, beta, "Send scheduled reports in the reader's time zone", "A scheduled report should arrive at 8am where the reader is, not where the sender is.");
  const merged = await idea(lena, beta, "Let me combine reports", "Same as everyone: one report instead of three spreadsheets.");
  for (const who of [lena, sam, diego]) await vote(who, beta, combined);
  for (const who of [diego, lena]) await vote(who, beta, regions);
  await vote(diego, beta, phone);
  for (const who of [sam, diego]) await vote(who, beta, zones);
  await vote(sam, beta, merged);
  // The duplicate goes into the original; Sam's vote moves with it (he had voted for both).
  await step(() => mergeIdea(db, maya, beta, merged, combined));
  await step(() => replyToThread(db, sam, beta, combined, { body: "Yes please. Our CFO would read **one** report; she will not read three." }));
  // For the passion score: an angry, specific complaint (Markdown and a screenshot), and two
  // near-copies of existing ideas that triage groups under their originals, ready to merge.
  await step(() =>
    startThread(db, diego, beta, {
      title: "The PDF export cuts off the last column",
      body:
        "This is **really frustrating**. I can't send the board pack: the PDF export cuts off column 9 (Region) on every report wider than A4. " +
        "First I open Revenue, then I click Export → PDF, and 3 of 5 pages lose the totals.\n\n![cut-off export](https://example.com/cut-off.png)\n\nWe have to rebuild it in Excel 2019 every Monday.",
    }),
  );
  await idea(lena, beta, "Region numbers in every report", "Please: a region column and a region filter in every report; today only the regional one has it.");
  await idea(sam, beta, "A combined weekly report", "Merge the revenue, pipeline and regional reports into one view.");

  const pilot = "workspace-pilot";
  const sso = await idea(june, pilot, "Single sign-on with our Google accounts", "Nobody on my team will remember another password.");
  const guests = await idea(lena, pilot, "Invite clients as guests", "We share boards with clients; they should see only what we share.");
  const offline = await idea(diego, pilot, "Work offline on the plane", "Let me edit and sync when I land.");
  for (const who of [june, lena, diego]) await vote(who, pilot, sso);
  await vote(lena, pilot, guests);
  await vote(diego, pilot, offline);
}

/**
 * Triage and answers: tags, feedback from the reporting beta and the closed integrations
 * council highlighted into suggestions in several statuses (evidence from two communities),
 * a dismissed thank-you, an answered decline with an alternative, and plenty left untriaged.
 */
async function seedTriage(db: Kysely<Database>, ids: Map<string, string>, at: number, siteOrigin: string): Promise<void> {
  const maya: Actor = { id: ids.get("maya@cohort.example")!, role: "moderator" };
  const priya: Actor = { id: ids.get("priya@cohort.example")!, role: "product" };
  const thread = async (title: string) => (await db.selectFrom("threads").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
  const reply = async (start: string) => (await db.selectFrom("replies").select("id").where("body_markdown", "like", `${start}%`).executeTakeFirstOrThrow()).id;
  let clock = at - 20 * HOUR;
  const step = <T>(work: () => Promise<T>) => {
    clock += 25 * MINUTE;
    return atTime(clock, work);
  };
  await step(() => createTag(db, maya, { name: "Exports", color: "blue", description: "Getting data out: CSV, spreadsheets, PDFs" }));
  await step(() => createTag(db, maya, { name: "Time zones", color: "amber", description: "Dates and times across places" }));
  await step(() => createTag(db, maya, { name: "Integrations", color: "violet", description: "Calendars, connectors, other tools" }));
  const triage = (kind: "thread" | "reply", id: string, input: { quote?: string; tags: string[]; suggestion?: string; image?: string }) => step(() => triageItem(db, maya, { kind, id }, input));

  const combined = "One combined weekly report";
  await triage("thread", await thread("We export every report to a spreadsheet"), { quote: "Every Monday I export all three weekly reports and merge them by hand.", tags: ["Exports", "Reporting"], suggestion: combined });
  await triage("thread", await thread("One combined weekly report"), { tags: ["Exports"], suggestion: combined });
  await triage("reply", await reply("Account, region, monthly revenue"), { quote: "Account, region, monthly revenue and the change since last month.", tags: ["Exports"], suggestion: combined });
  // A passage and a screenshot of the same answer, kept as evidence together.
  const routineAnswer = await reply("1. Open the weekly revenue report.");
  const sheet = await db.selectFrom("attachments").select("id").where("post_id", "=", routineAnswer).where("alt", "like", "My merged spreadsheet%").executeTakeFirstOrThrow();
  await triage("reply", routineAnswer, { quote: "Step 3 takes most of the hour.", tags: ["Exports"], suggestion: combined, image: sheet.id });
  const zones = "Scheduled reports follow the recipient's time zone";
  await triage("thread", await thread("Scheduled reports arrive in the wrong time zone"), { tags: ["Time zones"], suggestion: zones });
  await triage("thread", await thread("Send scheduled reports in the reader's time zone"), { tags: ["Time zones"], suggestion: zones });
  const sync = "Sync recurring calendar events";
  await triage("thread", await thread("The calendar sync drops recurring events"), { tags: ["Integrations"], suggestion: sync });
  await triage("reply", await reply("And with Google Calendar"), { tags: ["Integrations"], suggestion: sync });
  await triage("reply", await reply("We see the same with the Outlook connector"), { tags: ["Integrations"], suggestion: sync });
  const offline = "Offline editing in the workspace";
  await triage("thread", await thread("Work offline on the plane"), { tags: [], suggestion: offline });
  // Evidence written in Markdown: shown as written on the suggestion and in the readout.
  await triage("reply", await reply("Yes please. Our CFO would read"), { tags: ["Exports"], suggestion: combined });
  const thanks = await reply("Thank you! That is the one our CFO");
  await step(() => dismissItem(db, maya, { kind: "reply", id: thanks }, "A thank-you, no new feedback"));

  const suggestion = async (title: string) => (await db.selectFrom("suggestions").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
  const answer = async (title: string, input: { status: SuggestionStatus; answer: string; alternative?: string }) =>
    step(async () => answerSuggestion(db, priya, await suggestion(title), { alternative: "", withoutAlternative: false, ...input }, { siteOrigin }));
  await db.updateTable("suggestions").set({ owner_id: priya.id, staff_notes: "Talk to the data team about a combined export job." }).where("title", "=", combined).execute();
  await answer(combined, { status: "under-review", answer: "" });
  await answer(zones, { status: "planned", answer: "Planned for the March release: each recipient gets the report at the time they chose, in their own time zone." });
  await answer(sync, { status: "shipped", answer: "Shipped in 4.2: recurring events from Google Calendar and Outlook now sync in full, including exceptions." });
  await answer(offline, {
    status: "declined",
    answer: "Not in this pilot: the shared workspace needs a connection to keep everyone's changes in step, and offline merging would put that at risk.",
    alternative: "Use the desktop app's offline mode; it syncs your drafts when you reconnect.",
  });
}

/** Delete every row of every table (not the migrations' own), for `npm run db:seed`. */
export async function wipe(handle: DatabaseHandle): Promise<void> {
  // Not Kysely's own tables, nor SQLite's full-text index (its triggers follow search_documents).
  const tables = (await handle.db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith("kysely_") && !name.startsWith("search_fts"));
  if (tables.length === 0) return;
  if (handle.engine === "postgres") {
    await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} cascade`.execute(handle.db);
  } else {
    await sql`pragma foreign_keys = off`.execute(handle.db);
    for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(handle.db);
    await sql`pragma foreign_keys = on`.execute(handle.db);
  }
}

export function describeDemo(accounts: DemoAccount[], password: string, url: string): string {
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = [
    "",
    "  Demo data is ready. Sign in at " + url + " with any of these accounts.",
    `  They all share the password:  ${password}`,
    "  (shown only this once; `npm run db:seed` starts the demo afresh with a new one)",
    "",
    ...accounts.map((a) => `    ${a.email.padEnd(width)}  ${a.displayName} (${a.what})`),
    "",
  ];
  return lines.join("\n");
}

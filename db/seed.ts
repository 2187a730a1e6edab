import { sql, type Kysely } from "kysely";
import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "./client.ts";
import type { Database, GlobalRole } from "./schema.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { addMember } from "#app/features/communities/communities.server.ts";
import { inviteMembers } from "#app/features/communities/invitations.server.ts";
import { DAY, HOUR, now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";

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

/** A password that is easy to type from a terminal: four groups of five letters and digits. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

interface DemoCommunity {
  slug: string;
  name: string;
  purpose: string;
  /** Relative to the moment of seeding, so the demo always shows each phase. */
  startsIn: number;
  endsIn: number;
  timeZone: string;
  voteBudget: number | null;
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

/** Fill an empty database with the demo: its accounts (all sharing one password) and communities in each phase. */
export async function seedDemo(db: Kysely<Database>, password: string, options: { siteOrigin?: string } = {}): Promise<DemoAccount[]> {
  const ids = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const { userId } = await createAccount(db, { email: account.email, displayName: account.displayName, password, role: account.role });
    ids.set(account.email, userId);
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
        published_at: at + Math.min(community.startsIn, 0) - 7 * DAY,
        archived_at: null,
        created_by: moderator,
        created_at: at + Math.min(community.startsIn, 0) - 10 * DAY,
        updated_at: at,
      })
      .execute();
    for (const member of community.members) {
      await addMember(db, {
        communityId: id,
        userId: ids.get(member.email)!,
        role: member.role,
        datesConfirmedAt: at,
        source: member.source ?? null,
        attributes: member.attributes,
      });
    }
  }
  // Conversations, written as they would have been over the past days.
  const thread = async (slug: string, author: string, title: string, body: string, ageMs: number, replies: [string, string][]) => {
    const community = await db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    const threadId = newId();
    const created = at - ageMs;
    await db
      .insertInto("threads")
      .values({ id: threadId, community_id: community.id, author_id: ids.get(author)!, title, body_markdown: body, body_html: renderMarkdown(body), reply_count: replies.length, created_at: created, last_activity_at: created + replies.length * HOUR })
      .execute();
    for (const [index, [replyAuthor, replyBody]] of replies.entries()) {
      await db
        .insertInto("replies")
        .values({ id: newId(), thread_id: threadId, author_id: ids.get(replyAuthor)!, body_markdown: replyBody, body_html: renderMarkdown(replyBody), created_at: created + (index + 1) * HOUR })
        .execute();
    }
  };
  await thread("reporting-beta", "lena@customer.example", "We export every report to a spreadsheet", "Every Monday I export **all three** weekly reports and merge them by hand. A single combined view would save me an hour.", 3 * DAY, [
    ["diego@customer.example", "Same here. We also need the numbers per region, which no report has."],
    ["sam@customer.example", "Could you both say which columns you keep after merging? That tells the team what the combined view needs."],
    ["lena@customer.example", "Account, region, monthly revenue and the change since last month. Everything else I delete."],
  ]);
  await thread("reporting-beta", "diego@customer.example", "Scheduled reports arrive in the wrong time zone", "Our scheduled report arrives at 3am local time. It should follow the time zone of the person receiving it.", 1 * DAY, [
    ["maya@cohort.example", "Thanks Diego, that is a clear one. Does it happen for every schedule or only the weekly one?"],
  ]);
  await thread("integrations-council", "june@customer.example", "The calendar sync drops recurring events", "Recurring events only sync the first occurrence. We rely on them for every weekly meeting.", 40 * DAY, [
    ["sam@customer.example", "We see the same with the Outlook connector."],
  ]);

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

/** Delete every row of every table (not the migrations' own), for `npm run db:seed`. */
export async function wipe(handle: DatabaseHandle): Promise<void> {
  const tables = (await handle.db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith("kysely_"));
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

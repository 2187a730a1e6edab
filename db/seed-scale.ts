/**
 * `npm run seed:scale -- --posts 1000000 [--database <url or file>]`: fill an empty database
 * with a realistic shape for the benchmark: hundreds of communities in every phase, tens of
 * thousands of members, threads of very different lengths adding up to the posts asked for,
 * ideas with votes, suggestions with evidence, plus a known community, thread, participant
 * and reviewer for `npm run bench` (described in bench/.data/fixture-<engine>-<posts>.json).
 * The benchmark's thread is there twice: as text, and with images on a few of its replies
 * (stored through the attachments use case into `--attachments <dir>`, thumbnails and all),
 * so the bench measures the thread page with and without images in the same run.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.ts";
import { SCALE_SHAPE } from "./scale-shape.ts";
import { openDatabase } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";
import { hashPassword } from "#app/features/auth/password.server.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { refreshStrength } from "#app/features/suggestions/strength.server.ts";
import { DAY, HOUR, MINUTE, now } from "#app/lib/clock.ts";
import { attachImages, storeImage } from "#app/features/attachments/attachments.server.ts";
import { localStorage, useStorage } from "#app/features/attachments/storage.server.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1]! : fallback;
};
const POSTS = Number(option("posts", "1000000").replaceAll("_", ""));
const url = option("database", process.env.DATABASE_URL ?? "data/scale.db");
/** Where the image thread's files go: the bench starts Cohort with ATTACHMENTS_DIR set to it. */
const attachmentsDir = option("attachments", `bench/.data/attachments-${POSTS}`);
export const BENCH_PASSWORD = "bench password 1234";

/** A small deterministic random generator, so two runs give the same shape. */
let state = 42;
const random = () => {
  state = (state * 1664525 + 1013904223) % 4294967296;
  return state / 4294967296;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const id = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(7, "0")}`;

const WORDS = "report export dashboard region revenue weekly schedule time zone mobile chart filter team invoice sync calendar connector onboarding search slow fast monday finance pipeline".split(" ");
const sentence = () => Array.from({ length: 8 + Math.floor(random() * 14) }, () => pick(WORDS)).join(" ");
const BODIES = Array.from({ length: 300 }, (_, i) => {
  const markdown = `${sentence()}. ${i % 3 === 0 ? `**${pick(WORDS)}** matters most.` : ""}\n\n${i % 4 === 0 ? `- ${sentence()}\n- ${sentence()}` : sentence()}.`;
  return { markdown, html: renderMarkdown(markdown) };
});

/** Insert rows in batches inside one transaction (fast on both engines). */
async function insertBatches<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: Iterable<Record<string, unknown>>, size = 400): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let batch: Record<string, unknown>[] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length >= size) {
        await trx.insertInto(table).values(batch as never).execute();
        batch = [];
      }
    }
    if (batch.length) await trx.insertInto(table).values(batch as never).execute();
  });
}

/** A screenshot-like picture (a window with a header, a sidebar and a chart), different for each n. */
function screenshot(n: number): Promise<Buffer> {
  const hue = (n * 67) % 360;
  const bars = Array.from({ length: 12 }, (_, i) => {
    const height = 80 + ((n * 37 + i * 53) % 400);
    return `<rect x="${380 + i * 80}" y="${820 - height}" width="56" height="${height}" fill="hsl(${hue},60%,${40 + (i % 4) * 8}%)"/>`;
  }).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1440" height="900">
    <rect width="1440" height="900" fill="#f6f7f9"/><rect width="1440" height="64" fill="hsl(${hue},40%,25%)"/>
    <rect y="64" width="320" height="836" fill="#e4e7ec"/>${bars}
    <text x="380" y="140" font-size="36" font-family="sans-serif" fill="#222">Weekly revenue by region ${n}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * A copy of a thread (same text, authors and times) under a new id, with one image on each
 * of the replies at the given positions: processed and stored by the attachments use case,
 * then attached by its author as a post's use case does.
 */
async function copyWithImages(db: Kysely<Database>, sourceId: string, threadId: string, positions: number[]): Promise<string> {
  rmSync(attachmentsDir, { recursive: true, force: true });
  useStorage(localStorage(attachmentsDir));
  const thread = await db.selectFrom("threads").selectAll().where("id", "=", sourceId).executeTakeFirstOrThrow();
  const community = await db.selectFrom("communities").select(["id", "slug"]).where("id", "=", thread.community_id).executeTakeFirstOrThrow();
  const replies = await db.selectFrom("replies").selectAll().where("thread_id", "=", sourceId).orderBy("created_at").orderBy("id").execute();
  const copies = replies.map((reply, k) => ({ ...reply, id: `${threadId}r${k.toString().padStart(2, "0")}`, thread_id: threadId }));
  await insertBatches(db, "threads", [{ ...thread, id: threadId, title: `${thread.title}, some with images` }]);
  await insertBatches(db, "replies", copies);
  for (const [n, position] of positions.entries()) {
    const reply = copies[position]!;
    const author = { id: reply.author_id, role: "member" as const };
    const image = await storeImage(db, author, community.slug, await screenshot(n));
    await db.transaction().execute((trx) => attachImages(trx, author, { communityId: community.id, kind: "reply", id: reply.id, threadId }, [{ id: image.id, alt: `Screenshot ${n + 1}: weekly revenue by region` }]));
  }
  useStorage(null);
  return threadId;
}

async function main() {
  const started = Date.now();
  const handle = openDatabase(url);
  const db = handle.db;
  await migrateToLatest(db, handle.schema);
  const existing = await db.selectFrom("users").select("id").limit(1).execute();
  if (existing.length) throw new Error(`${handle.location} is not empty; seed:scale fills an empty database.`);
  const log = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${what}`);
  const at = Math.floor(now() / HOUR) * HOUR;
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  // Communities and members grow with the posts, so a small database has the same shape
  // (each member in a few communities), not the same communities thinly filled.
  const COMMUNITIES = Math.max(10, Math.min(300, Math.round(POSTS / 3333)));
  const MEMBERS = Math.max(1000, Math.min(30_000, Math.round(POSTS / 33)));
  const staff = [
    { id: id("st", 0), email: "bench-moderator@scale.example", display_name: "Bench Moderator", role: "moderator" as const },
    { id: id("st", 1), email: "bench-reviewer@scale.example", display_name: "Bench Reviewer", role: "product" as const },
    { id: id("st", 2), email: "bench-admin@scale.example", display_name: "Bench Admin", role: "admin" as const },
  ];
  await insertBatches(db, "users", [
    ...staff.map((s) => ({ ...s, password_hash: passwordHash, created_at: at - 400 * DAY, updated_at: at - 400 * DAY })),
    ...(function* () {
      for (let i = 0; i < MEMBERS; i++) {
        yield { id: id("u", i), email: `member${i}@scale.example`, display_name: `Member ${i}`, password_hash: passwordHash, role: "member", created_at: at - 400 * DAY, updated_at: at - 400 * DAY };
      }
    })(),
  ]);
  log(`${MEMBERS + staff.length} users`);

  // Community 0 is the benchmark's: open now. Then a year of communities, most closed.
  const communities = Array.from({ length: COMMUNITIES }, (_, i) => {
    const starts = i === 0 ? at - 10 * DAY : at - Math.floor(random() * 360) * DAY + (i % 15 === 0 ? 30 * DAY : 0);
    const purpose = `${sentence()}. ${sentence()}.`;
    return {
      id: id("c", i),
      slug: i === 0 ? "scale-bench" : `community-${i}`,
      name: i === 0 ? "Scale bench community" : `Community ${i}: ${pick(WORDS)} ${pick(WORDS)}`,
      purpose_markdown: purpose,
      purpose_html: renderMarkdown(purpose),
      starts_at: starts,
      ends_at: starts + (i === 0 ? 30 : 14 + Math.floor(random() * 30)) * DAY,
      time_zone: pick(["UTC", "Europe/Berlin", "America/New_York", "Asia/Singapore"]),
      vote_budget: i % 3 === 0 ? 10 : null,
      hide_vote_counts: (i % 7 === 0 ? 1 : 0) as 0 | 1,
      random_idea_order: (i % 11 === 0 ? 1 : 0) as 0 | 1,
      published_at: starts - 7 * DAY,
      archived_at: null,
      created_by: staff[0]!.id,
      created_at: starts - 10 * DAY,
      updated_at: starts - 10 * DAY,
    };
  });
  await insertBatches(db, "communities", communities, 100);
  // Members: 100 to 400 per community; the bench community has member 0 (the bench participant).
  const membersOf = communities.map((_, i) => {
    const size = i === 0 ? 400 : 100 + Math.floor(random() * 300);
    const set = new Set<number>(i === 0 ? [0] : []);
    while (set.size < size) set.add(Math.floor(random() * MEMBERS));
    return [...set];
  });
  const segments = ["enterprise", "smb", "consumer"];
  await insertBatches(
    db,
    "memberships",
    (function* () {
      for (const [c, members] of membersOf.entries()) {
        for (const [k, m] of members.entries()) {
          yield {
            community_id: communities[c]!.id,
            user_id: id("u", m),
            role: k === 1 ? "leader" : "participant",
            joined_at: communities[c]!.starts_at - DAY,
            dates_confirmed_at: communities[c]!.starts_at - DAY,
            source: k % 5 === 0 ? "Support ticket" : null,
            attributes: JSON.stringify({ segment: segments[m % 3] }),
            votes_used: 0,
          };
        }
      }
    })(),
  );
  log(`${COMMUNITIES} communities, ${membersOf.reduce((n, m) => n + m.length, 0)} memberships`);

  // Thread lengths: mostly short, a long tail, and in the bench community one of exactly 50.
  const threadCount = Math.max(100, Math.round(POSTS / 20));
  const lengths: number[] = [];
  let replies = POSTS - threadCount;
  for (let t = 0; t < threadCount; t++) {
    const left = threadCount - t;
    const mean = replies / left;
    const length = t === 0 ? 50 : t === threadCount - 1 ? replies : Math.min(replies, Math.floor(-Math.log(1 - random()) * mean));
    lengths.push(Math.max(0, length));
    replies -= Math.max(0, length);
  }
  const threads = lengths.map((length, t) => {
    const c = t < 200 ? 0 : Math.floor(random() * COMMUNITIES);
    const community = communities[c]!;
    const body = pick(BODIES);
    const created = t < 200 ? at - 9 * DAY + t * 30 * MINUTE : community.starts_at + Math.floor(random() * 10 * DAY);
    // The benchmark community's first 200 threads hold a third ideas, so its idea list is a full
    // page in the thousand-post database too, and the growth budget compares the same page.
    const kind = t % 10 === 9 || (t < 200 && t % 3 === 2) ? "idea" : t % 25 === 0 ? "prompt" : "discussion";
    return {
      id: id("t", t),
      community_id: community.id,
      author_id: id("u", pick(membersOf[c]!)),
      title: t === 0 ? "Benchmark thread with 50 replies" : `${pick(WORDS)} ${pick(WORDS)}: ${sentence().slice(0, 60)}`,
      body_markdown: body.markdown,
      body_html: body.html,
      reply_count: length,
      created_at: created,
      last_activity_at: created + length * 10 * MINUTE,
      kind,
      masked: 0 as const,
      visible_from: created,
      pinned_at: null,
      locked_at: null,
      edited_at: null,
      removed: null,
      removed_at: null,
      c,
    };
  });
  await insertBatches(
    db,
    "threads",
    threads.map(({ c: _c, ...row }) => row),
  );
  log(`${threads.length} threads`);
  await insertBatches(
    db,
    "replies",
    (function* () {
      let r = 0;
      for (const thread of threads) {
        for (let k = 0; k < thread.reply_count; k++) {
          const body = pick(BODIES);
          yield {
            id: id("r", r++),
            thread_id: thread.id,
            author_id: id("u", pick(membersOf[thread.c]!)),
            body_markdown: body.markdown,
            body_html: body.html,
            created_at: thread.created_at + (k + 1) * 10 * MINUTE,
            edited_at: null,
            removed: null,
            removed_at: null,
          };
        }
      }
    })(),
    500,
  );
  log(`${POSTS - threads.length} replies`);

  // Ideas and votes: each idea thread gets a handful to a few hundred votes from its members.
  const ideas = threads.filter((t) => t.kind === "idea");
  await insertBatches(
    db,
    "ideas",
    ideas.map((t) => ({ thread_id: t.id, community_id: t.community_id, vote_count: 0, shuffle: Math.floor(random() * 2 ** 31), created_at: t.created_at, merged_into: null, merged_at: null, suggestion_id: null })),
  );
  let voteTotal = 0;
  await insertBatches(
    db,
    "votes",
    (function* () {
      for (const idea of ideas) {
        const voters = new Set<number>();
        const wanted = Math.floor(-Math.log(1 - random()) * 8);
        const members = membersOf[idea.c]!;
        while (voters.size < Math.min(wanted, members.length)) voters.add(pick(members));
        for (const v of voters) {
          voteTotal++;
          yield { idea_id: idea.id, user_id: id("u", v), community_id: idea.community_id, created_at: idea.created_at + HOUR };
        }
      }
    })(),
    500,
  );
  await sql`update ideas set vote_count = (select count(*) from votes where votes.idea_id = ideas.thread_id)`.execute(db);
  await sql`update memberships set votes_used = (select count(*) from votes where votes.user_id = memberships.user_id and votes.community_id = memberships.community_id) where community_id in (select id from communities where vote_budget is not null)`.execute(db);
  log(`${ideas.length} ideas, ${voteTotal} votes`);

  // Suggestions with evidence from several communities, and tags.
  const tags = ["Exports", "Mobile", "Time zones", "Integrations", "Search", "Performance"].map((name, i) => ({ id: id("g", i), name, name_key: name.toLowerCase(), color: ["blue", "green", "amber", "violet", "cyan", "red"][i]!, description: "", created_at: at - 300 * DAY }));
  await insertBatches(db, "tags", tags);
  const SUGGESTIONS = Math.max(50, Math.round(POSTS / 500));
  const statuses = ["new", "under-review", "planned", "in-progress", "shipped", "declined"] as const;
  await insertBatches(
    db,
    "suggestions",
    Array.from({ length: SUGGESTIONS }, (_, s) => {
      const problem = sentence();
      const status = statuses[s % statuses.length]!;
      return {
        id: id("s", s),
        title: `${pick(WORDS)} ${pick(WORDS)} ${s}`,
        problem_markdown: problem,
        problem_html: renderMarkdown(problem),
        status,
        owner_id: staff[1]!.id,
        staff_notes: null,
        public_answer: status === "new" ? null : sentence(),
        answered_at: status === "new" ? null : at - Math.floor(random() * 100) * DAY,
        alternative: null,
        created_by: staff[0]!.id,
        created_at: at - 200 * DAY,
        updated_at: at - Math.floor(random() * 200) * DAY,
      };
    }),
  );
  await insertBatches(
    db,
    "suggestion_tags",
    Array.from({ length: SUGGESTIONS }, (_, s) => ({ suggestion_id: id("s", s), tag_id: tags[s % tags.length]!.id })),
  );
  const evidence = Math.min(threads.length, SUGGESTIONS * 10);
  await insertBatches(
    db,
    "highlights",
    (function* () {
      for (let h = 0; h < evidence; h++) {
        const thread = threads[(h * 7919) % threads.length]!;
        yield { id: id("h", h), community_id: thread.community_id, thread_id: thread.id, post_kind: "thread", post_id: thread.id, post_author_id: thread.author_id, quote: thread.body_markdown.slice(0, 200), suggestion_id: id("s", h % SUGGESTIONS), created_by: staff[0]!.id, created_at: thread.created_at + DAY };
      }
    })(),
  );
  // Every other idea was linked to a suggestion, so linked votes count towards strength.
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < ideas.length; i += 2) await trx.updateTable("ideas").set({ suggestion_id: id("s", i % SUGGESTIONS) }).where("thread_id", "=", ideas[i]!.id).execute();
  });
  await refreshStrength(db, Array.from({ length: SUGGESTIONS }, (_, s) => id("s", s)));
  log(`${SUGGESTIONS} suggestions with ${evidence} pieces of evidence and ${Math.ceil(ideas.length / 2)} linked ideas`);

  const imageThread = await copyWithImages(db, threads[0]!.id, id("t", threads.length), [5, 15, 25, 35, 45]);
  log(`the benchmark thread again with images on 5 of its replies (files in ${attachmentsDir})`);

  await sql`analyze`.execute(db);
  const fixture = {
    shape: SCALE_SHAPE,
    engine: handle.engine,
    database: url,
    posts: POSTS,
    password: BENCH_PASSWORD,
    participant: "member0@scale.example",
    reviewer: "bench-reviewer@scale.example",
    community: "scale-bench",
    thread: id("t", 0),
    imageThread,
    attachments: attachmentsDir,
    idea: ideas.find((t) => t.c === 0)?.id ?? ideas[0]!.id,
  };
  mkdirSync("bench/.data", { recursive: true });
  writeFileSync(`bench/.data/fixture-${handle.engine}-${POSTS}.json`, JSON.stringify(fixture, null, 2));
  log(`done: ${handle.location}`);
  await handle.close();
}

await main();

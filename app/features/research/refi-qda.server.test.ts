import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { XMLParser } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { eraseAccount } from "#app/features/privacy/privacy.server.ts";
import { listTags, createTag } from "#app/features/triage/tags.server.ts";
import { triageItem } from "#app/features/triage/triage.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { markdownToText } from "#app/lib/markdown.server.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { exportCodebook, exportQdpx, importCodebook, locate } from "./refi-qda.server.ts";

const START = Date.UTC(2026, 8, 1, 8);
/** The official schema sits beside the repository (../shared/refi-qda); CI has it there too. */
const SCHEMA = [resolve("../shared/refi-qda/Project-mrt2019.xsd"), "/work/shared/refi-qda/Project-mrt2019.xsd"].find((p) => existsSync(p));
const XMLLINT = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].find((p) => existsSync(p));
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (name) => ["TextSource", "PlainTextSelection", "Coding", "Case", "Code", "Set", "User", "VariableValue", "SourceRef", "MemberSource"].includes(name) });

describe("finding a highlight in its text", () => {
  it("finds a passage exactly, or across different white space", () => {
    expect(locate("one two  three", "two  three")).toEqual({ start: 4, end: 14 });
    const text = "first line\nsecond   line";
    const at = locate(text, "line second line")!;
    expect(text.slice(at.start, at.end)).toBe("line\nsecond   line");
    expect(locate("abc", "xyz")).toBeNull();
  });
});

describe.each(testEngines())("REFI-QDA export and codebook on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let n = 0;
  const person = async (role: Actor["role"] = "member", password = "password!"): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `q${++n}@example.com`, displayName: `Q${n}`, password, role });
    return { id: userId, role };
  };
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator");
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  async function world() {
    setClock(START - DAY);
    const slug = `qda-${++n}`;
    await createCommunity(t.db, moderator, { name: `Research ${n}`, slug, purpose: "A community whose evidence is exported for analysis.", timeZone: "UTC", startsAt: "2026-09-01T08:00", endsAt: "2026-09-20T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    const [a, b] = [await person("member", "erase me please"), await person()];
    await addMember(t.db, { communityId: community.id, userId: a.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "smb" } });
    await addMember(t.db, { communityId: community.id, userId: b.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "enterprise" } });
    setClock(START + DAY + n * 60 * SECOND);
    const { threadId } = await startThread(t.db, a, slug, {
      title: "Renewal shock",
      body: "The renewal was **higher than the quote** 😤 and nobody said why.\n\n![invoice](https://example.com/i.png)\n\nWe have to   explain it to finance.",
    });
    advanceClock(10 * SECOND);
    const { replyId } = await replyToThread(t.db, b, slug, threadId, { body: "Same here: _the export_ drops the `Region` column." });
    await createTag(t.db, moderator, { name: `Pricing ${n}`, color: "red", description: "Money & invoices <and> such" });
    await triageItem(t.db, moderator, { kind: "thread", id: threadId }, { quote: "higher than the quote 😤 and nobody said why", tags: [`Pricing ${n}`], suggestion: `Explain renewals ${n}` });
    await triageItem(t.db, moderator, { kind: "thread", id: threadId }, { quote: "We have to explain it to finance.", tags: [`Pricing ${n}`, `Finance ${n}`] });
    // The whole reply, as Markdown: the selection is its whole plain text.
    await triageItem(t.db, moderator, { kind: "reply", id: replyId }, { tags: [`Exports ${n}`], suggestion: `Explain renewals ${n}` });
    return { slug, a, b, threadId, replyId };
  }

  it("exports a community as a .qdpx that validates against the official schema, with every selection at its exact offsets", async () => {
    const w = await world();
    await eraseAccount(t.db, w.a, "erase me please");
    const { bytes, filename } = await exportQdpx(t.db, moderator, { community: w.slug });
    expect(filename).toMatch(/^cohort-qda-\d+-\d{4}-\d{2}-\d{2}\.qdpx$/);
    const files = unzipSync(bytes);
    const xml = strFromU8(files["project.qde"]!);
    const project = parser.parse(xml).Project;

    // Schema: xmllint against the official XSD.
    if (SCHEMA && XMLLINT) {
      const dir = mkdtempSync(join(tmpdir(), "qdpx-"));
      writeFileSync(join(dir, "project.qde"), xml);
      const out = execFileSync(XMLLINT, ["--noout", "--schema", SCHEMA, join(dir, "project.qde")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      expect(out).toBe("");
    } else {
      console.warn(`Skipped the schema check: ${SCHEMA ? "" : "../shared/refi-qda/Project-mrt2019.xsd is absent; "}${XMLLINT ? "" : "xmllint is not installed"}`);
    }

    // Two posts with highlights, two sources, each file in sources/.
    const sources = project.Sources.TextSource as { "@_guid": string; "@_name": string; "@_plainTextPath": string; PlainTextSelection: { "@_startPosition": string; "@_endPosition": string; Coding: { CodeRef: { "@_targetGUID": string } }[] }[] }[];
    expect(sources).toHaveLength(2);
    const quotes = ["higher than the quote 😤 and nobody said why", "We have to explain it to finance.", markdownToText("Same here: _the export_ drops the `Region` column.")];
    const selected: string[] = [];
    for (const source of sources) {
      const path = source["@_plainTextPath"].replace("internal://", "sources/");
      const text = strFromU8(files[path]!);
      expect(text).not.toMatch(/\*\*|!\[|`/);
      for (const sel of source.PlainTextSelection) {
        selected.push(Array.from(text).slice(Number(sel["@_startPosition"]), Number(sel["@_endPosition"])).join(""));
      }
    }
    expect(selected.map((s) => s.replace(/\s+/g, " ")).sort()).toEqual(quotes.map((q) => q.replace(/\s+/g, " ")).sort());

    // Codes: tags with colours and descriptions, suggestions under "Suggestions"; codings point at them.
    const codes = project.CodeBook.Codes.Code as { "@_guid": string; "@_name": string; "@_color"?: string; Description?: string; Code?: { "@_guid": string; "@_name": string }[] }[];
    const pricing = codes.find((c) => c["@_name"] === `Pricing ${n}`)!;
    expect(pricing).toMatchObject({ "@_color": "#DC2626", Description: "Money & invoices <and> such" });
    const suggestion = codes.find((c) => c["@_name"] === "Suggestions")!.Code!.find((c) => c["@_name"] === `Explain renewals ${n}`)!;
    const coded = sources.flatMap((s) => s.PlainTextSelection.flatMap((sel) => sel.Coding.map((c) => c.CodeRef["@_targetGUID"])));
    expect(coded.filter((g) => g === suggestion["@_guid"])).toHaveLength(2);
    expect(coded.filter((g) => g === pricing["@_guid"])).toHaveLength(2);
    expect(project.Sets.Set[0]).toMatchObject({ "@_name": `Explain renewals ${n}` });
    expect(project.Sets.Set[0].MemberSource).toHaveLength(2);

    // Cases: the erased author is anonymous; segments are case variables.
    const cases = project.Cases.Case as { "@_name": string; VariableValue: { TextValue: string }[] }[];
    expect(cases.map((c) => c["@_name"]).sort()).toEqual(["Former member 1", `Q${n}`].sort());
    expect(xml).not.toContain(`Q${n - 1}`);
    // Erasure cleared the former member's attributes too: nothing about them is left to vary on.
    expect(cases.find((c) => c["@_name"] === "Former member 1")!.VariableValue[0]!.TextValue).toBe("no segment");
    expect(cases.find((c) => c["@_name"] === `Q${n}`)!.VariableValue[0]!.TextValue).toBe("enterprise");
  });

  it("exports the board filtered by tag, and only for staff", async () => {
    const w = await world();
    const tags = await listTags(t.db, moderator);
    const exportsTag = tags.find((tag) => tag.name === `Exports ${n}`)!;
    // The suggestion carries the tag (linked with it), so both of its pieces of evidence travel.
    const { projectXml } = await exportQdpx(t.db, moderator, { tag: exportsTag.id });
    const project = parser.parse(projectXml).Project;
    expect(project["@_name"]).toBe(`Suggestions tagged Exports ${n}`);
    expect(project.Sources.TextSource.length).toBeGreaterThanOrEqual(2);
    expect((await refusalOf(exportQdpx(t.db, w.b, { community: w.slug }))).status).toBe(404);
  });

  it("round-trips the codebook into an empty instance: same tags, colours and descriptions", async () => {
    await world();
    const qdc = await exportCodebook(t.db, moderator);
    expect(qdc).toContain('xmlns="urn:QDA-XML:codebook:1.0"');
    const empty = await createTestDatabase(engine);
    try {
      const { userId } = await createAccount(empty.db, { email: "admin@example.com", displayName: "Admin", password: "password!", role: "admin" });
      const admin: Actor = { id: userId, role: "admin" };
      const result = await importCodebook(empty.db, admin, qdc);
      const before = (await listTags(t.db, moderator)).map(({ name, color, description }) => ({ name, color, description }));
      const after = (await listTags(empty.db, admin)).map(({ name, color, description }) => ({ name, color, description }));
      expect(after).toEqual(before);
      expect(result.created).toHaveLength(before.length);
      // Importing again adds nothing.
      expect((await importCodebook(empty.db, admin, qdc)).created).toEqual([]);
      expect((await refusalOf(importCodebook(empty.db, admin, "<not xml"))).status).toBe(400);
    } finally {
      await empty.cleanup();
    }
  });
});

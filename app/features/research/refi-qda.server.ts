import { createHash } from "node:crypto";
import { named } from "#app/lib/named-text.ts";
import type { Kysely } from "kysely";
import { strToU8, zipSync } from "fflate";
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import type { Database } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { segmentOf } from "#app/features/communities/segments.ts";
import { ERASED_NAME } from "#app/features/privacy/erased.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { TAG_COLORS, type TagColor } from "#app/features/triage/tags.tsx";
import { now } from "#app/lib/clock.ts";
import { isoDay } from "#app/lib/dates.ts";
import { newId } from "#app/lib/ids.ts";
import { markdownToText } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";

type Db = Kysely<Database>;

/**
 * REFI-QDA (QDA-XML 1.0), the exchange standard NVivo, ATLAS.ti, MAXQDA and QualCoder read:
 * a project (.qdpx: a zip of project.qde and sources/) and a codebook (.qdc). How Cohort's
 * evidence maps onto it is in docs/decisions/023-refi-qda-export.md:
 *   tags → codes (colour, description), the codebook;
 *   suggestions → codes under a "Suggestions" code, coding their evidence, and sets of sources;
 *   a post with highlights → a text source (its plain text, as members read it);
 *   a highlight → a coded selection at its character offsets in that text;
 *   the post's author → a case (erased members as "Former member N"), with segment and
 *   community as case variables; the staff who highlighted → users.
 */
const PROJECT_NS = "urn:QDA-XML:project:1.0";
const CODEBOOK_NS = "urn:QDA-XML:codebook:1.0";

/** The tag palette as the colours the export writes, and the nearest back on import. */
export const TAG_HEX: Record<TagColor, string> = {
  blue: "#2563EB",
  green: "#059669",
  amber: "#F59E0B",
  red: "#DC2626",
  violet: "#7C3AED",
  pink: "#DB2777",
  cyan: "#0891B2",
  grey: "#64748B",
};

/** A stable GUID for one of Cohort's rows, so a second export of the same data names things the same. */
export function guidOf(kind: string, id: string): string {
  const hex = createHash("sha256").update(`cohort:${kind}:${id}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** REFI-QDA positions count characters (code points), not UTF-16 units. */
const codePoints = (text: string) => Array.from(text).length;

/**
 * Where a passage sits in a text: exactly, or else with runs of white space taken as one.
 * UTF-16 indexes into `text`, or null when the passage is not in it.
 */
export function locate(text: string, passage: string): { start: number; end: number } | null {
  const wanted = passage.trim();
  if (!wanted) return null;
  const exact = text.indexOf(wanted);
  if (exact >= 0) return { start: exact, end: exact + wanted.length };
  // Collapse white space in the text, remembering where each kept character came from.
  let flat = "";
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (flat.endsWith(" ")) continue;
      flat += " ";
    } else flat += ch;
    from.push(i);
  }
  const needle = wanted.replace(/\s+/g, " ");
  const at = flat.indexOf(needle);
  if (at < 0) return null;
  return { start: from[at]!, end: from[at + needle.length - 1]! + 1 };
}

export interface ExportScope {
  /** A community's slug: its evidence. */
  community?: string;
  /** A tag's id: the evidence of the suggestions carrying it, as the board filtered by tag. */
  tag?: string;
}

/** The evidence in a scope, read in five queries. */
async function gather(db: Db, actor: Actor, scope: ExportScope) {
  assertAllowed(actor, "research.export");
  let communityId: string | null = null;
  let title = "All evidence";
  if (scope.community) {
    const view = await getCommunityForActor(db, actor, scope.community);
    communityId = view.community.id;
    title = view.community.name;
  }
  let tagName: string | null = null;
  if (scope.tag) {
    const tag = await db.selectFrom("tags").select("name").where("id", "=", scope.tag).executeTakeFirst();
    if (!tag) throw new Refusal(404, "We could not find that tag.");
    tagName = tag.name;
    title = `Suggestions tagged ${tag.name}`;
  }
  const highlights = await db
    .selectFrom("highlights")
    .innerJoin("users as author", "author.id", "highlights.post_author_id")
    .innerJoin("users as coder", "coder.id", "highlights.created_by")
    .innerJoin("communities", "communities.id", "highlights.community_id")
    .innerJoin("threads", "threads.id", "highlights.thread_id")
    .leftJoin("replies", (join) => join.onRef("replies.id", "=", "highlights.post_id").on("highlights.post_kind", "=", "reply"))
    .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "highlights.community_id").onRef("memberships.user_id", "=", "highlights.post_author_id"))
    .select([
      "highlights.id",
      "highlights.post_kind",
      "highlights.post_id",
      "highlights.post_author_id",
      "highlights.quote",
      "highlights.suggestion_id",
      "highlights.created_by",
      "highlights.created_at",
      "author.display_name as author",
      "author.erased_at as author_erased_at",
      "coder.display_name as coder",
      "communities.name as community",
      "threads.title as thread_title",
      "threads.body_markdown as thread_body",
      "threads.created_at as thread_created_at",
      "threads.removed as thread_removed",
      "replies.body_markdown as reply_body",
      "replies.created_at as reply_created_at",
      "replies.removed as reply_removed",
      "memberships.attributes",
    ])
    .$if(communityId !== null, (q) => q.where("highlights.community_id", "=", communityId!))
    .$if(scope.tag !== undefined, (q) => q.where("highlights.suggestion_id", "in", db.selectFrom("suggestion_tags").select("suggestion_id").where("tag_id", "=", scope.tag!)))
    .orderBy("highlights.created_at")
    .orderBy("highlights.id")
    .execute();
  // A post a moderator or its author removed is no longer evidence anyone may read.
  const kept = highlights.filter((h) => h.thread_removed === null && (h.post_kind === "thread" || h.reply_removed === null));
  const ids = kept.map((h) => h.id);
  const suggestionIds = [...new Set(kept.map((h) => h.suggestion_id).filter((id): id is string => id !== null))];
  const [tags, highlightTags, suggestions] = await Promise.all([
    db.selectFrom("tags").select(["id", "name", "color", "description"]).orderBy("name").execute(),
    ids.length ? db.selectFrom("highlight_tags").select(["highlight_id", "tag_id"]).where("highlight_id", "in", ids).execute() : [],
    suggestionIds.length ? db.selectFrom("suggestions").select(["id", "title", "problem_markdown", "status"]).where("id", "in", suggestionIds).orderBy("title").execute() : [],
  ]);
  return { title, tagName, highlights: kept, tags, highlightTags, suggestions };
}

export interface QdpxExport {
  bytes: Uint8Array;
  /** project.qde, for tests and for whoever wants to read it. */
  projectXml: string;
  sources: Map<string, string>;
  filename: string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true, suppressBooleanAttributes: false });

/** The evidence in a scope as a REFI-QDA project (.qdpx). */
export async function exportQdpx(db: Db, actor: Actor, scope: ExportScope): Promise<QdpxExport> {
  const data = await gather(db, actor, scope);
  const at = now();

  // Authors become cases, named as members read them; erased members are numbered, never named.
  const erasedNumber = new Map<string, number>();
  const caseName = (h: (typeof data.highlights)[number]) => {
    if (h.author_erased_at === null || h.author_erased_at === undefined) return h.author;
    if (!erasedNumber.has(h.post_author_id)) erasedNumber.set(h.post_author_id, erasedNumber.size + 1);
    return `${ERASED_NAME} ${erasedNumber.get(h.post_author_id)}`;
  };

  // Posts with highlights become sources: their plain text, as rendered for readers.
  interface Source {
    guid: string;
    name: string;
    text: string;
    createdAt: number;
    authorId: string;
    selections: { guid: string; start: number; end: number; name: string; coder: string; createdAt: number; codes: string[] }[];
  }
  const sources = new Map<string, Source>();
  const users = new Map<string, string>();
  const cases = new Map<string, { guid: string; name: string; segment: string | null; community: string; sources: Set<string> }>();
  const tagsOf = new Map<string, string[]>();
  for (const ht of data.highlightTags) tagsOf.set(ht.highlight_id, [...(tagsOf.get(ht.highlight_id) ?? []), ht.tag_id]);

  for (const h of data.highlights) {
    const key = `${h.post_kind}:${h.post_id}`;
    let source = sources.get(key);
    const author = caseName(h);
    if (!source) {
      const body = h.post_kind === "reply" ? (h.reply_body ?? "") : h.thread_body;
      const text = markdownToText(body);
      source = {
        guid: guidOf("source", key),
        name: `${h.post_kind === "reply" ? "Reply in" : "Post"} “${h.thread_title}” by ${author}`,
        text,
        createdAt: h.post_kind === "reply" ? (h.reply_created_at ?? h.thread_created_at) : h.thread_created_at,
        authorId: h.post_author_id,
        selections: [],
      };
      sources.set(key, source);
    }
    users.set(h.created_by, h.coder);
    const passage = markdownToText(h.quote);
    const found = locate(source.text, passage) ?? { start: 0, end: source.text.length };
    const codes = [...(tagsOf.get(h.id) ?? []).map((id) => guidOf("tag", id)), ...(h.suggestion_id ? [guidOf("suggestion", h.suggestion_id)] : [])];
    source.selections.push({
      guid: guidOf("highlight", h.id),
      // Positions in characters of the source text.
      start: codePoints(source.text.slice(0, found.start)),
      end: codePoints(source.text.slice(0, found.end)),
      name: source.text.slice(found.start, found.end).slice(0, 60),
      coder: guidOf("user", h.created_by),
      createdAt: h.created_at,
      codes,
    });
    const caseKey = h.post_author_id;
    if (!cases.has(caseKey)) cases.set(caseKey, { guid: guidOf("case", caseKey), name: author, segment: segmentOf(h.attributes), community: h.community, sources: new Set() });
    cases.get(caseKey)!.sources.add(source.guid);
  }

  const segmentVar = guidOf("variable", "segment");
  const communityVar = guidOf("variable", "community");
  const suggestionRoot = guidOf("code", "suggestions");
  const files = new Map<string, string>();
  for (const source of sources.values()) files.set(`sources/${source.guid}.txt`, source.text);

  const project = {
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    Project: {
      "@_xmlns": PROJECT_NS,
      "@_name": data.title,
      "@_origin": "Cohort",
      "@_creatingUserGUID": guidOf("user", actor.id),
      "@_creationDateTime": iso(at),
      ...(users.size
        ? { Users: { User: [...new Set([...users.keys(), actor.id])].map((id) => ({ "@_guid": guidOf("user", id), "@_name": users.get(id) ?? "Exporter", "@_id": id })) } }
        : { Users: { User: [{ "@_guid": guidOf("user", actor.id), "@_name": "Exporter", "@_id": actor.id }] } }),
      CodeBook: { Codes: { Code: codebookCodes(data.tags, data.suggestions, suggestionRoot) } },
      ...(cases.size
        ? {
            Variables: {
              Variable: [
                { "@_guid": segmentVar, "@_name": "Segment", "@_typeOfVariable": "Text", Description: "The member's segment in the community (from their invitation)." },
                { "@_guid": communityVar, "@_name": "Community", "@_typeOfVariable": "Text", Description: "The community they wrote in." },
              ],
            },
            Cases: {
              Case: [...cases.values()].map((c) => ({
                "@_guid": c.guid,
                "@_name": c.name,
                VariableValue: [
                  { VariableRef: { "@_targetGUID": segmentVar }, TextValue: c.segment ?? "no segment" },
                  { VariableRef: { "@_targetGUID": communityVar }, TextValue: c.community },
                ],
                SourceRef: [...c.sources].map((guid) => ({ "@_targetGUID": guid })),
              })),
            },
          }
        : {}),
      ...(sources.size
        ? {
            Sources: {
              TextSource: [...sources.values()].map((s) => ({
                "@_guid": s.guid,
                "@_name": s.name,
                "@_plainTextPath": `internal://${s.guid}.txt`,
                "@_creationDateTime": iso(s.createdAt),
                PlainTextSelection: s.selections.map((sel) => ({
                  "@_guid": sel.guid,
                  "@_name": sel.name,
                  "@_startPosition": sel.start,
                  "@_endPosition": sel.end,
                  "@_creatingUser": sel.coder,
                  "@_creationDateTime": iso(sel.createdAt),
                  Coding: sel.codes.map((code) => ({ "@_guid": guidOf("coding", `${sel.guid}:${code}`), "@_creatingUser": sel.coder, "@_creationDateTime": iso(sel.createdAt), CodeRef: { "@_targetGUID": code } })),
                })),
              })),
            },
          }
        : {}),
      ...(data.suggestions.length
        ? {
            Sets: {
              Set: data.suggestions.map((s) => ({
                "@_guid": guidOf("set", s.id),
                "@_name": s.title,
                Description: `Evidence of the suggestion “${s.title}” (${s.status}).`,
                MemberSource: [...sources.values()].filter((src) => src.selections.some((sel) => sel.codes.includes(guidOf("suggestion", s.id)))).map((src) => ({ "@_targetGUID": src.guid })),
              })),
            },
          }
        : {}),
      Description: `Exported from Cohort on ${iso(at)}: ${data.title}.`,
    },
  };
  const projectXml = builder.build(project) as string;
  const zip: Record<string, Uint8Array> = { "project.qde": strToU8(projectXml) };
  for (const [path, text] of files) zip[path] = strToU8(text);
  const slug = (scope.community ?? (data.tagName ? `tag-${data.tagName}` : "all")).toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return { bytes: zipSync(zip), projectXml, sources: files, filename: `cohort-${slug}-${isoDay(at)}.qdpx` };
}

/** Tags as codes (the codebook), and suggestions as codes under one "Suggestions" code that is itself not for coding. */
function codebookCodes(tags: { id: string; name: string; color: string; description: string }[], suggestions: { id: string; title: string; problem_markdown: string }[], root: string) {
  const codes: object[] = tags.map((t) => ({
    "@_guid": guidOf("tag", t.id),
    "@_name": t.name,
    "@_isCodable": "true",
    "@_color": TAG_HEX[t.color as TagColor] ?? TAG_HEX.grey,
    ...(t.description ? { Description: t.description } : {}),
  }));
  if (suggestions.length) {
    codes.push({
      "@_guid": root,
      "@_name": "Suggestions",
      "@_isCodable": "false",
      Description: "Product suggestions; each codes the evidence linked to it.",
      Code: suggestions.map((s) => ({
        "@_guid": guidOf("suggestion", s.id),
        "@_name": s.title,
        "@_isCodable": "true",
        ...(s.problem_markdown.trim() ? { Description: markdownToText(s.problem_markdown) } : {}),
      })),
    });
  }
  return codes;
}

/** The tag list alone as a REFI-QDA codebook (.qdc), to reuse the codes in the next study. */
export async function exportCodebook(db: Db, actor: Actor): Promise<string> {
  assertAllowed(actor, "research.export");
  const tags = await db.selectFrom("tags").select(["id", "name", "color", "description"]).orderBy("name").execute();
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    CodeBook: { "@_xmlns": CODEBOOK_NS, "@_origin": "Cohort", Codes: { Code: codebookCodes(tags, [], "") } },
  }) as string;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (name) => name === "Code" });

/** The nearest palette colour to a hex colour (#RGB or #RRGGBB). */
export function nearestTagColor(hex: string | undefined): TagColor {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex?.trim() ?? "");
  if (!m) return "grey";
  const full = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join("") : m[1]!;
  const rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  let best: TagColor = "grey";
  let distance = Infinity;
  for (const color of TAG_COLORS) {
    const other = [1, 3, 5].map((i) => parseInt(TAG_HEX[color].slice(i, i + 2), 16));
    const d = rgb.reduce((sum, v, i) => sum + (v - other[i]!) ** 2, 0);
    if (d < distance) [best, distance] = [color, d];
  }
  return best;
}

/**
 * Import a REFI-QDA codebook (.qdc) or project (.qde) as tags: every codable code (nested
 * ones too) becomes a tag with its colour and description; names already in the tag list
 * are kept as they are. One transaction, recorded in the audit log.
 */
export async function importCodebook(db: Db, actor: Actor, xml: string): Promise<{ created: string[]; existing: string[] }> {
  assertAllowed(actor, "triage.work");
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch {
    throw new Refusal(400, "That file is not a REFI-QDA codebook: it is not XML.");
  }
  const root = (parsed.CodeBook ?? (parsed.Project as Record<string, unknown> | undefined)?.CodeBook) as { Codes?: { Code?: RawCode[] } } | undefined;
  const top = root?.Codes?.Code;
  if (!root || !Array.isArray(top)) throw new Refusal(400, "That file is not a REFI-QDA codebook: it has no codes.");
  const found: { name: string; color: TagColor; description: string }[] = [];
  const walk = (codes: RawCode[]) => {
    for (const code of codes) {
      const name = String(code["@_name"] ?? "").trim().slice(0, 40);
      if (name && String(code["@_isCodable"]) !== "false") found.push({ name, color: nearestTagColor(code["@_color"]), description: String(code.Description ?? "").trim().slice(0, 300) });
      if (Array.isArray(code.Code)) walk(code.Code);
    }
  };
  walk(top);
  if (!found.length) throw new Refusal(400, "That codebook has no codes to import.");
  if (found.length > 500) throw new Refusal(400, "That codebook has more than 500 codes; import a smaller one.");
  const created: string[] = [];
  const existing: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (const code of found) {
      const key = code.name.toLowerCase();
      const clash = await trx.selectFrom("tags").select("id").where("name_key", "=", key).executeTakeFirst();
      if (clash || created.some((n) => n.toLowerCase() === key)) {
        existing.push(code.name);
        continue;
      }
      await trx.insertInto("tags").values({ id: newId(), name: code.name, name_key: key, color: code.color, description: code.description, created_at: now() }).execute();
      created.push(code.name);
    }
    await recordAudit(trx, actor.id, { action: "tag.import", summary: named`Imported a codebook: ${created.length} new tags${existing.length ? `, ${existing.length} already there` : ""}`, undo: null });
  });
  return { created, existing };
}

interface RawCode {
  "@_name"?: string;
  "@_color"?: string;
  "@_isCodable"?: string | boolean;
  Description?: string;
  Code?: RawCode[];
}

import { count } from "#app/lib/plural.ts";

/**
 * The passion score that orders the triage inbox. Pure, so it is tested on its own and its
 * parts can be shown on each item. The formula (also in docs/decisions/010):
 *
 *   votes       3 points a vote,            at most 30
 *   replies     2 points a reply,           at most 20
 *   reactions   1 point a reaction,         at most 10 (Cohort has none yet: always 0)
 *   length      1 point per 80 characters,  at most 15
 *   leads       10 when the author is a discussion leader in that community
 *   evangelist  5 when the author was invited from a named source (a ticket, a forum…)
 *   recency     20 points, halving every 3 days of age
 *
 * Every part is capped, so no single signal (a long rant, a popular idea) drowns the rest.
 */
export interface PassionInputs {
  votes: number;
  replies: number;
  reactions: number;
  /** Characters of Markdown the author wrote. */
  length: number;
  authorLeads: boolean;
  authorEvangelist: boolean;
  ageMs: number;
}

export interface PassionPart {
  key: "votes" | "replies" | "reactions" | "length" | "leads" | "evangelist" | "recency";
  label: string;
  points: number;
}

const HALF_LIFE_MS = 3 * 24 * 60 * 60 * 1000;
const round = (n: number) => Math.round(n * 10) / 10;

export function passionScore(input: PassionInputs): { score: number; parts: PassionPart[] } {
  const parts: PassionPart[] = [
    { key: "votes", label: count(input.votes, "vote"), points: Math.min(30, 3 * input.votes) },
    { key: "replies", label: count(input.replies, "reply", "replies"), points: Math.min(20, 2 * input.replies) },
    { key: "reactions", label: count(input.reactions, "reaction"), points: Math.min(10, input.reactions) },
    { key: "length", label: `${input.length} characters`, points: Math.min(15, Math.floor(input.length / 80)) },
    { key: "leads", label: "author leads discussions", points: input.authorLeads ? 10 : 0 },
    { key: "evangelist", label: "author is an evangelist", points: input.authorEvangelist ? 5 : 0 },
    { key: "recency", label: "recency", points: round(20 * 0.5 ** (Math.max(0, input.ageMs) / HALF_LIFE_MS)) },
  ];
  return { score: round(parts.reduce((sum, part) => sum + part.points, 0)), parts };
}

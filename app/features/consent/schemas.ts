import { z } from "#app/lib/zod.ts";

const part = (what: string) => z.string().trim().min(3, `Say ${what}.`).max(2000, `Keep "${what}" under 2000 characters.`);

/** A consent text: what is collected, who reads it, how quotes are used, how long it is kept, and any incentive. */
export const ConsentSchema = z.object({
  collected: part("what is collected"),
  readers: part("who reads it"),
  quotes: part("how quotes are used"),
  retention: part("how long it is kept"),
  incentive: z.string().trim().max(2000, "Keep the incentive under 2000 characters.").default(""),
});
export type ConsentInput = z.output<typeof ConsentSchema>;

/** The parts of a consent text in the order they are shown, with their headings. */
export const CONSENT_PARTS = [
  ["collected", "What we collect"],
  ["readers", "Who reads it"],
  ["quotes", "How your words may be quoted"],
  ["retention", "How long it is kept"],
  ["incentive", "Incentive"],
] as const;

export interface ConsentText extends ConsentInput {
  version: number;
  publishedAt: number;
}

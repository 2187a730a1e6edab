import { z } from "#app/lib/zod.ts";

export const MAX_POLL_OPTIONS = 10;

/** Who sees the results before the community closes: everyone, only those who answered (masked), or nobody but staff. */
export const POLL_RESULTS = ["always", "after-answering", "after-close"] as const;
export type PollResults = (typeof POLL_RESULTS)[number];

const checkbox = z
  .literal("on")
  .optional()
  .transform((value) => value === "on");

/** A new poll: a question, one option per line (2 to 10), and its switches. */
export const PollCreateSchema = z.object({
  question: z.string().trim().min(3, "Ask a question of at least 3 characters.").max(300, "Keep the question under 300 characters."),
  options: z
    .string()
    .max(5000)
    .transform((text) => [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))])
    .pipe(
      z
        .array(z.string().max(200, "Keep each option under 200 characters."))
        .min(2, "Give at least two options, one per line.")
        .max(MAX_POLL_OPTIONS, `Give at most ${MAX_POLL_OPTIONS} options.`),
    ),
  choice: z.enum(["single", "multiple", "ranked"]),
  allowOther: checkbox,
  results: z.enum(POLL_RESULTS),
});
export type PollCreate = z.output<typeof PollCreateSchema>;

/**
 * A member's answer, read from the form: the options chosen (radio or checkboxes named
 * `choice`, or for a ranked poll a `rank.<optionId>` select per option), and the words of
 * an "Other" answer. Which ids are real, and whether the shape fits the poll, the use case checks.
 */
export function parsePollAnswer(form: FormData): { choices: { optionId: string; rank: number | null }[]; other: string | null } | { error: string } {
  const choices: { optionId: string; rank: number | null }[] = [];
  for (const value of form.getAll("choice")) {
    if (typeof value === "string" && value.length <= 64 && value !== "other") choices.push({ optionId: value, rank: null });
  }
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("rank.") || typeof value !== "string" || value === "") continue;
    const rank = Number(value);
    const optionId = key.slice("rank.".length);
    if (!Number.isInteger(rank) || rank < 1 || rank > MAX_POLL_OPTIONS || optionId.length > 64) return { error: "Choose a place for each option you rank." };
    choices.push({ optionId, rank });
  }
  const otherChosen = form.getAll("choice").includes("other");
  const otherText = String(form.get("other") ?? "").trim();
  if (otherText.length > 500) return { error: "Keep your other answer under 500 characters." };
  if (otherChosen && !otherText) return { error: "Say what your other answer is, or choose one of the options." };
  return { choices, other: otherChosen ? otherText : null };
}

import { z } from "#app/lib/zod.ts";
import { fromLocalInput, isLocalInput, isTimeZone } from "#app/lib/dates.ts";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/;

/** "Spring Beta: Reporting!" → "spring-beta-reporting" */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}

/** The community form, shared by the browser and the action. Dates are wall-clock times in the chosen zone. */
export const CommunityFormSchema = z
  .object({
    name: z.string({ error: "Give the community a name" }).trim().min(3, "Use at least 3 characters").max(120, "Use at most 120 characters"),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(SLUG_PATTERN, "Use 3 to 60 lower-case letters, digits and hyphens")
      .optional(),
    purpose: z
      .string({ error: "Describe what the community is for" })
      .trim()
      .min(20, "Describe the purpose in at least 20 characters: members read it before they join")
      .max(20_000, "Use at most 20,000 characters"),
    timeZone: z.string({ error: "Choose a time zone" }).refine(isTimeZone, "Choose a time zone from the list"),
    startsAt: z.string({ error: "Choose when it opens" }).refine(isLocalInput, "Choose a real date and time for the opening"),
    endsAt: z.string({ error: "Choose when it closes" }).refine(isLocalInput, "Choose a real date and time for the closing"),
    voteBudget: z.coerce.number().int("Use a whole number").min(1, "At least 1 vote").max(100, "At most 100 votes").optional(),
    // Bias controls (checkboxes: present when ticked).
    hideVoteCounts: z.boolean().optional(),
    randomIdeaOrder: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    const starts = fromLocalInput(value.startsAt, value.timeZone);
    const ends = fromLocalInput(value.endsAt, value.timeZone);
    if (starts !== null && ends !== null && ends <= starts) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "It must close after it opens" });
    }
  });

export type CommunityForm = z.infer<typeof CommunityFormSchema>;

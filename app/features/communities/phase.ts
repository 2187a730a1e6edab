import type { Phase } from "#app/features/auth/policy.ts";

/**
 * A community's phase, computed from the clock and its declared dates, never stored and
 * never advanced by a job (product.md, "Community lifecycle"). The phases themselves are
 * named by the policy, which decides on them.
 */
export type { Phase };

export interface PhaseInputs {
  published_at: number | null;
  archived_at: number | null;
  starts_at: number;
  ends_at: number;
}

export function phaseOf(community: PhaseInputs, at: number): Phase {
  if (community.archived_at !== null) return "archived";
  if (community.published_at === null) return "draft";
  if (at < community.starts_at) return "upcoming";
  if (at < community.ends_at) return "active";
  return "closed";
}

export const PHASE_LABEL: Record<Phase, string> = {
  draft: "Draft",
  upcoming: "Upcoming",
  active: "Open",
  closed: "Closed",
  archived: "Archived",
};

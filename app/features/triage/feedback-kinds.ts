import type { ThreadKind } from "#db/schema.ts";

/**
 * The threads that are customer feedback in themselves: members' discussions and ideas. A
 * research prompt is the team's own question (the answers to it are replies, feedback of
 * their own). The triage inbox and the dashboard's feedback counts share this list.
 */
export const FEEDBACK_KINDS = ["discussion", "idea"] as const satisfies readonly ThreadKind[];

import type { RoleOffered } from "#app/features/communities/roles.ts";

const ROLE_OFFERED: Record<RoleOffered, { label: string; meaning: string }> = {
  leader: {
    label: "discussion leader",
    meaning: "You are invited to lead discussions: besides taking part, you can post research prompts for the other members, and pin and lock threads.",
  },
  participant: {
    label: "participant",
    meaning: "You are invited to take part: read the discussions, start threads and reply, submit ideas and vote for the ones that matter to you.",
  },
};

/** What an invitation's role means, in the words the invitation page and email use. */
export function describeRoleOffered(role: RoleOffered): { label: string; meaning: string } {
  return ROLE_OFFERED[role];
}

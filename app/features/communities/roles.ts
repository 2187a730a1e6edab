/**
 * A member's role in one community, as words and as input to check. What each role may do
 * is the policy's (app/features/auth/policy.ts); this module only names them.
 */
import type { CommunityRole } from "#db/schema.ts";

export const COMMUNITY_ROLES: readonly CommunityRole[] = ["participant", "leader", "moderator"];

/** The roles an invitation or a nomination offers: moderators are made, not invited. */
export type RoleOffered = Exclude<CommunityRole, "moderator">;
export const ROLES_OFFERED: readonly RoleOffered[] = ["participant", "leader"];

export const COMMUNITY_ROLE_LABEL: Record<CommunityRole, string> = { participant: "Participant", leader: "Discussion leader", moderator: "Moderator" };

export const isCommunityRole = (value: string): value is CommunityRole => (COMMUNITY_ROLES as readonly string[]).includes(value);
export const isRoleOffered = (value: string): value is RoleOffered => (ROLES_OFFERED as readonly string[]).includes(value);

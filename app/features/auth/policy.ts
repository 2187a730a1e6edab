/**
 * The one access policy. Every loader and action asks `can` whether this actor may do
 * this to this resource now, and the UI asks the same function what to show. Deny by
 * default: an action without a rule is refused. Later features add their actions and
 * resources here (membership and community phase join the role).
 */
import type { GlobalRole } from "#db/schema.ts";

export interface Actor {
  id: string;
  role: GlobalRole;
}

export const STAFF_ROLES: readonly GlobalRole[] = ["moderator", "product", "admin"];

export function isStaff(actor: Actor | null): boolean {
  return actor !== null && STAFF_ROLES.includes(actor.role);
}

/** What each action needs to be decided, besides the actor. */
interface Resources {
  /** See and change one's own account. */
  "account.manage": undefined;
  /** Open the staff pages (any staff role). */
  "staff.view": undefined;
  /** Administer the instance: users, roles, outbox, settings. */
  "admin.manage": undefined;
  /** Change another user's global role. */
  "user.change-role": { targetUserId: string };
}

export type Action = keyof Resources;

/** The resource argument an action takes: none, or one object. */
export type ResourceArgs<A extends Action> = Resources[A] extends undefined ? [] : [Resources[A]];

type Rule<A extends Action> = (actor: Actor, resource: Resources[A]) => boolean;

const rules: { [A in Action]: Rule<A> } = {
  "account.manage": () => true,
  "staff.view": (actor) => isStaff(actor),
  "admin.manage": (actor) => actor.role === "admin",
  // Admins manage roles, but not their own: an instance must never lose its last admin by
  // accident, and a role change ends the changer's own sessions.
  "user.change-role": (actor, { targetUserId }) => actor.role === "admin" && actor.id !== targetUserId,
};

/** May this actor do this now? Anonymous visitors may do nothing that needs a rule. */
export function can<A extends Action>(
  actor: Actor | null,
  action: A,
  ...resource: ResourceArgs<A>
): boolean {
  if (!actor) return false;
  const rule = rules[action] as Rule<A> | undefined;
  if (!rule) return false;
  return rule(actor, resource[0] as Resources[A]);
}

import type { GlobalRole } from "#db/schema.ts";

/** Global roles as the people page names them. */
export const ROLE_NAMES: Record<GlobalRole, string> = {
  member: "Member",
  moderator: "Moderator",
  product: "Product reviewer",
  admin: "Admin",
};

export type PersonStatus = "active" | "suspended" | "erased";

/** An account is erased (anonymised at its owner's request), suspended by an admin, or active. */
export function statusOf(row: { erased_at?: number | null; suspended_at?: number | null }): PersonStatus {
  if (row.erased_at != null) return "erased";
  if (row.suspended_at != null) return "suspended";
  return "active";
}

export const STATUS_NAMES: Record<PersonStatus, string> = { active: "Active", suspended: "Suspended", erased: "Erased" };

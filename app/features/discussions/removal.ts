import type { Removal } from "#db/schema.ts";

/** What readers see in place of a removed post or title: who removed it, never its text. */
export function removalNotice(removed: Removal): string {
  return removed === "author" ? "Removed by its author" : "Hidden by a moderator";
}

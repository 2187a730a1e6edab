import type { Migration } from "kysely";
import * as foundation from "./20261123093000-foundation.ts";
import * as communities from "./20261123110000-communities.ts";
import * as invitations from "./20261123120000-invitations.ts";
import * as announcements from "./20261123130000-announcements-notifications.ts";
import * as discussions from "./20261123140000-discussions.ts";
import * as discussionModeration from "./20261123150000-discussion-moderation.ts";
import * as ideas from "./20261123160000-ideas.ts";
import * as triage from "./20261123170000-triage.ts";
import * as privacy from "./20261123180000-privacy.ts";
import * as search from "./20261123190000-search.ts";
import * as email from "./20261123200000-email.ts";
import * as webhooks from "./20261123210000-webhooks.ts";
import * as suggestionStrength from "./20261124090000-suggestion-strength.ts";
import * as profiles from "./20261202110000-profiles.ts";
import * as timebox from "./20261202140000-timebox.ts";
import * as nominations from "./20261202130000-nominations.ts";
import * as passwordReset from "./20261202100000-password-reset.ts";
import * as people from "./20261202120000-people.ts";
import * as namedPeople from "./20261203090000-named-people.ts";
import * as outboxClaims from "./20261203190000-outbox-claims.ts";
import * as pollsConsent from "./20261203120000-polls-consent.ts";
import * as followUpsCompletion from "./20261203130000-follow-ups-completion.ts";
import * as attachmentsMentions from "./20261203110000-attachments-mentions.ts";

/**
 * Every migration, by its sortable timestamped name. Listed here rather than read from the
 * folder at run time so the same list works under tsx, Vitest and a bundled build.
 * Append new ones; never edit or reorder an applied one.
 */
export const migrations: Record<string, Migration> = {
  "20261123093000-foundation": foundation,
  "20261123110000-communities": communities,
  "20261123120000-invitations": invitations,
  "20261123130000-announcements-notifications": announcements,
  "20261123140000-discussions": discussions,
  "20261123150000-discussion-moderation": discussionModeration,
  "20261123160000-ideas": ideas,
  "20261123170000-triage": triage,
  "20261123180000-privacy": privacy,
  "20261123190000-search": search,
  "20261123200000-email": email,
  "20261123210000-webhooks": webhooks,
  "20261124090000-suggestion-strength": suggestionStrength,
  "20261202110000-profiles": profiles,
  "20261202140000-timebox": timebox,
  "20261202130000-nominations": nominations,
  "20261202100000-password-reset": passwordReset,
  "20261202120000-people": people,
  "20261203090000-named-people": namedPeople,
  "20261203190000-outbox-claims": outboxClaims,
  "20261203120000-polls-consent": pollsConsent,
  "20261203130000-follow-ups-completion": followUpsCompletion,
  "20261203110000-attachments-mentions": attachmentsMentions,
};

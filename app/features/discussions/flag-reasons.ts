import type { FlagReason } from "#db/schema.ts";

/** Why a member flags a post, as the form and the moderation queue word it. */
export const FLAG_REASONS: Record<FlagReason, string> = {
  spam: "Spam or advertising",
  abusive: "Rude, abusive or harassing",
  "off-topic": "Off topic",
  "personal-data": "Shares someone's personal data",
  other: "Something else",
};

export const FLAG_REASON_VALUES = Object.keys(FLAG_REASONS) as [FlagReason, ...FlagReason[]];

import type { EmailMode, NotificationKind } from "#db/schema.ts";

/** Every kind of notification, how it is described in the email settings, and its default email mode. */
export const EMAIL_KINDS: Record<NotificationKind, { label: string; defaultMode: EmailMode }> = {
  mention: { label: "Someone mentioning you with @", defaultMode: "immediate" },
  "thread.reply": { label: "Replies to your threads", defaultMode: "immediate" },
  "suggestion.answer": { label: "Answers from the product team to your feedback", defaultMode: "immediate" },
  "community.reminder": { label: "Reminders: a community opens tomorrow or closes soon", defaultMode: "immediate" },
  "community.dates-changed": { label: "Changes to a community's dates", defaultMode: "immediate" },
  "follow-up.asked": { label: "Private follow-up questions asked of you", defaultMode: "immediate" },
  "prompt.nudge": { label: "Reminders to answer a research prompt", defaultMode: "immediate" },
  "consent.changed": { label: "A change to a community's consent text, to agree to again", defaultMode: "immediate" },
  "follow-up.answered": { label: "Answers to follow-ups you asked (moderators and leaders)", defaultMode: "digest" },
  "prompt.new": { label: "New research prompts", defaultMode: "digest" },
  "flag.outcome": { label: "What moderators decided about flagged posts", defaultMode: "digest" },
  "invitation.accepted": { label: "People accepting your invitations (staff)", defaultMode: "digest" },
  "nomination.outcome": { label: "What became of customers you nominated (staff)", defaultMode: "immediate" },
};

export const EMAIL_MODE_LABEL: Record<EmailMode, string> = { immediate: "Right away", digest: "In a daily digest", off: "Never" };

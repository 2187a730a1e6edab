/**
 * The one Database type: a type per table, rows as the database holds them.
 * Times are Unix milliseconds (bigint columns); flags are 0/1 integers, so one set of
 * queries serves SQLite and PostgreSQL alike (docs/decisions/002-time-representation.md).
 */
import type { Generated } from "kysely";
export type GlobalRole = "member" | "moderator" | "product" | "admin";

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: GlobalRole;
  created_at: number;
  updated_at: number;
  /** Set when the person erased their account; name and email are then placeholders. */
  erased_at?: number | null;
  /** A short plain-text bio shown on the profile; empty until written, cleared on erasure. */
  bio: Generated<string>;
  /** Set while an admin has suspended the account: it cannot sign in, its content stays. */
  suspended_at?: number | null;
  suspended_by?: string | null;
  /** When a session of this account was last used, written at most every few minutes. */
  last_seen_at?: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself lives only in the cookie. */
  id: string;
  user_id: string;
  expires_at: number;
  created_at: number;
}

export interface RateLimitsTable {
  bucket: string;
  hits: number;
  window_start: number;
}

export interface SecurityEventsTable {
  id: string;
  at: number;
  kind: string;
  user_id: string | null;
  subject: string | null;
  client_address: string | null;
  detail: string | null;
}

export type CommunityRole = "participant" | "leader" | "moderator";

export interface CommunitiesTable {
  id: string;
  slug: string;
  name: string;
  /** The research brief as written, and as rendered (safely) when it was written. */
  purpose_markdown: string;
  purpose_html: string;
  starts_at: number;
  ends_at: number;
  /** IANA zone the dates are shown in, e.g. "Europe/Berlin". */
  time_zone: string;
  /** Votes each member may cast (dot voting); null means one per idea without a cap. */
  vote_budget: number | null;
  /** Bias control: participants see no vote counts (and no vote-ordered lists) until it closes. */
  hide_vote_counts: 0 | 1;
  /** Bias control: each participant sees ideas in their own stable random order. */
  random_idea_order: 0 | 1;
  /** The consent text members agree to now: its version number in consent_versions, 0 while there is none. */
  consent_version: Generated<number>;
  published_at: number | null;
  archived_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface MembershipsTable {
  community_id: string;
  user_id: string;
  role: CommunityRole;
  joined_at: number;
  /** When the member confirmed they had seen the community's dates (null for staff added directly). */
  dates_confirmed_at: number | null;
  /** Where an evangelist was found: a support ticket, a forum, an event. */
  source: string | null;
  /** Segment attributes as a JSON object of strings (segment, plan, region). */
  attributes: string;
  /** Votes this member has out in the community (kept with the votes, checked against the budget). */
  votes_used: number;
  /** The consent version this member last agreed to (0: none); behind the community's, they must agree again before writing. */
  consent_version: Generated<number>;
}

/** A member who left: no longer a member anywhere, but still let into the readout once it closes. */
export interface FormerMembershipsTable {
  community_id: string;
  user_id: string;
  role: CommunityRole;
  joined_at: number;
  left_at: number;
  source: string | null;
  attributes: string;
  votes_used: number;
}

export interface InvitationsTable {
  id: string;
  community_id: string;
  /** Normalised address the invitation is bound to. */
  email: string;
  /** SHA-256 of the token in the link; the token itself is only ever in the email. */
  token_hash: string;
  role: "participant" | "leader";
  note: string | null;
  source: string | null;
  attributes: string;
  invited_by: string;
  created_at: number;
  sent_at: number;
  expires_at: number;
  opened_at: number | null;
  accepted_at: number | null;
  accepted_by: string | null;
  revoked_at: number | null;
  /** The nomination this invitation came from, if any. */
  nomination_id?: string | null;
}

export interface OutboxTable {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: number;
  /** Set once SMTP accepted it; null while it waits (or when no SMTP is configured). */
  sent_at: number | null;
  attempts: number;
  last_error: string | null;
  /** The people the message names, as " user:<id> invitation:<id> " (redacted when one of them is erased). */
  names: string | null;
  /** While one process is sending it: until when its claim holds (Unix ms); null otherwise. */
  claimed_until: number | null;
}

export interface AnnouncementsTable {
  id: string;
  community_id: string;
  /** Null for announcements the system posts (a date change). */
  author_id: string | null;
  body: string;
  created_at: number;
}

export type NotificationKind =
  | "community.dates-changed"
  | "invitation.accepted"
  | "thread.reply"
  | "prompt.new"
  | "flag.outcome"
  | "suggestion.answer"
  | "community.reminder"
  | "nomination.outcome"
  | "follow-up.asked"
  | "follow-up.answered"
  | "prompt.nudge"
  | "consent.changed"
  | "mention";

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: NotificationKind;
  title: string;
  body: string | null;
  /** A relative path to what the notification is about. */
  link: string | null;
  created_at: number;
  read_at: number | null;
  /** When it went out by email, immediately or in a digest. */
  emailed_at?: number | null;
}

export interface ThreadsTable {
  id: string;
  community_id: string;
  author_id: string;
  title: string;
  body_markdown: string;
  body_html: string;
  reply_count: number;
  created_at: number;
  last_activity_at: number;
  kind: ThreadKind;
  /** A masked prompt shows participants others' replies only once they have replied. */
  masked: 0 | 1;
  /** When participants first see it: its creation, or a prompt's scheduled time. */
  visible_from: number;
  pinned_at: number | null;
  locked_at: number | null;
  edited_at: number | null;
  removed: Removal | null;
  removed_at: number | null;
}

export type ThreadKind = "discussion" | "prompt" | "idea";
/** Soft removal: by the post's author, or hidden by a moderator. */
export type Removal = "author" | "moderator";

export interface RepliesTable {
  id: string;
  thread_id: string;
  author_id: string;
  body_markdown: string;
  body_html: string;
  created_at: number;
  edited_at: number | null;
  removed: Removal | null;
  removed_at: number | null;
  /** Set on the answer to a private follow-up: only the participant, staff and the community's leaders read it. */
  follow_up_id?: string | null;
}

/** A private question a moderator or leader asks one participant about one of their posts. */
export interface FollowUpsTable {
  id: string;
  community_id: string;
  thread_id: string;
  post_kind: PostKind;
  post_id: string;
  participant_id: string;
  asked_by: string;
  question_markdown: string;
  question_html: string;
  created_at: number;
  answered_at: number | null;
  /** The reply that answers it (a reply row with follow_up_id set). */
  answer_id: string | null;
}

/** One nudge to answer a prompt, per member and calendar day (in the community's zone); the key makes it once. */
export interface NudgesTable {
  thread_id: string;
  user_id: string;
  day: string;
  community_id: string;
  sent_by: string;
  sent_at: number;
}

export interface ThreadReadsTable {
  user_id: string;
  thread_id: string;
  /** The key (created_at, id) of the last reply this member was shown. */
  last_read_at: number;
  last_read_id: string;
}

export type PostKind = "thread" | "reply";
export type FlagReason = "spam" | "abusive" | "off-topic" | "personal-data" | "other";

export interface FlagsTable {
  id: string;
  community_id: string;
  thread_id: string;
  post_kind: PostKind;
  post_id: string;
  post_author_id: string;
  reporter_id: string;
  reason: FlagReason;
  note: string | null;
  created_at: number;
  resolved_at: number | null;
  resolution: "hidden" | "kept" | null;
  resolved_by: string | null;
}

export type SuggestionStatus = "new" | "under-review" | "planned" | "in-progress" | "shipped" | "declined";

export interface SuggestionsTable {
  id: string;
  title: string;
  problem_markdown: string;
  problem_html: string;
  status: SuggestionStatus;
  owner_id: string | null;
  /** Only staff read these. */
  staff_notes: string | null;
  /** What contributors are told, shown on linked ideas. */
  public_answer: string | null;
  answered_at: number | null;
  /** With a decline: what contributors can do instead. */
  alternative: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** Strength, kept up to date by refreshStrength: distinct members behind it (evidence authors and voters of linked ideas)... */
  strength_members: Generated<number>;
  /** ...votes on linked ideas, communities it was heard in, and quotes. */
  strength_votes: Generated<number>;
  strength_communities: Generated<number>;
  strength_quotes: Generated<number>;
}

/** An idea is a thread of kind "idea" plus this row: its votes and where it went. */
export interface IdeasTable {
  thread_id: string;
  community_id: string;
  vote_count: number;
  shuffle: number;
  created_at: number;
  /** The idea this one was merged into; its votes moved there. */
  merged_into: string | null;
  merged_at: number | null;
  suggestion_id: string | null;
}

export interface VotesTable {
  idea_id: string;
  user_id: string;
  community_id: string;
  created_at: number;
}

export interface TagsTable {
  id: string;
  name: string;
  name_key: string;
  /** A colour key of the palette (app/features/triage/tags.tsx). */
  color: string;
  description: string;
  created_at: number;
}

/** The passage of a post that matters: the unit of evidence a suggestion rests on. */
export interface HighlightsTable {
  id: string;
  community_id: string;
  thread_id: string;
  post_kind: PostKind;
  post_id: string;
  post_author_id: string;
  quote: string;
  suggestion_id: string | null;
  created_by: string;
  created_at: number;
  /** An image of the post kept as evidence (issue 16); the quote is then its alt text or a passage. */
  attachment_id?: string | null;
}

export interface HighlightTagsTable {
  highlight_id: string;
  tag_id: string;
}

export interface SuggestionTagsTable {
  suggestion_id: string;
  tag_id: string;
}

export interface TriageItemsTable {
  post_kind: PostKind;
  post_id: string;
  community_id: string;
  state: "triaged" | "dismissed";
  reason: string | null;
  decided_by: string;
  decided_at: number;
}

export interface AuditLogTable {
  id: string;
  actor_id: string;
  action: string;
  summary: string;
  /** JSON of what undoing needs; null when it cannot be undone. */
  undo: string | null;
  created_at: number;
  undone_at: number | null;
  undone_by: string | null;
}

/** Kept in step with threads, replies and suggestions by triggers (migration 20261123190000-search). */
export interface SearchDocumentsTable {
  id: number;
  kind: "thread" | "reply" | "suggestion";
  ref_id: string;
  community_id: string | null;
  title: string;
  body: string;
}

export type EmailMode = "immediate" | "digest" | "off";

export interface NotificationPreferencesTable {
  user_id: string;
  kind: NotificationKind;
  mode: EmailMode;
}

export interface UnsubscribeTokensTable {
  token_hash: string;
  user_id: string;
  created_at: number;
}

export interface DigestsTable {
  user_id: string;
  /** The UTC day it covers, "2026-11-23". */
  day: string;
  sent_at: number;
  items: number;
}

export interface TimeBoxRemindersTable {
  community_id: string;
  kind: "opens-tomorrow" | "closes-soon";
  /** The moment it announced (the starts_at or ends_at it was sent for): moved dates get their own reminder. */
  boundary_at: number;
  sent_at: number;
  recipients: number;
}

export type WebhookEvent = "suggestion.created" | "suggestion.status_changed";

export interface WebhooksTable {
  id: string;
  url: string;
  secret: string;
  /** JSON array of WebhookEvent. */
  events: string;
  active: 0 | 1;
  created_by: string;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: WebhookEvent;
  payload: string;
  attempts: number;
  /** Null once it has been given up on. */
  next_attempt_at: number | null;
  claimed_until: number | null;
  delivered_at: number | null;
  last_status: number | null;
  last_response: string | null;
  created_at: number;
}

export type NominationStatus = "open" | "invited" | "declined" | "joined";

/** A customer someone at the company met and nominated, with what they said and where. */
export interface NominationsTable {
  id: string;
  /** Normalised address the invitation would go to. */
  email: string;
  name: string;
  /** What the customer said: the reason for the nomination. */
  quote: string;
  /** Where: a ticket link, an event (free text). */
  found_where: string | null;
  /** A community suggested by the nominator. */
  community_id: string | null;
  /** Whether the nominator suggests asking them to lead a discussion. */
  ask_to_lead: 0 | 1;
  nominated_by: string;
  created_at: number;
  status: NominationStatus;
  decided_by: string | null;
  decided_at: number | null;
  decline_reason: string | null;
  joined_at: number | null;
}

/** A poll on a thread (a research prompt or a discussion), one per thread. */
export interface PollsTable {
  id: string;
  community_id: string;
  thread_id: string;
  question: string;
  /** Several options may be chosen. */
  multiple: 0 | 1;
  /** The chosen options are put in order (1 = first). */
  ranked: 0 | 1;
  /** An "Other" answer with the member's own words. */
  allow_other: 0 | 1;
  /** Bias control: a participant sees the results only after answering (while the community is open). */
  masked: 0 | 1;
  /** Bias control: participants see no results until the community closes. */
  hidden_until_close: 0 | 1;
  created_by: string;
  created_at: number;
}

export interface PollOptionsTable {
  id: string;
  poll_id: string;
  label: string;
  position: number;
}

/** One answer per member and poll: the primary key (poll_id, user_id) guarantees it. */
export interface PollAnswersTable {
  poll_id: string;
  user_id: string;
  community_id: string;
  other_text: string | null;
  created_at: number;
  updated_at: number;
}

export interface PollAnswerChoicesTable {
  poll_id: string;
  user_id: string;
  option_id: string;
  /** Its place in the member's order when the poll is ranked (1 = first), else null. */
  rank: number | null;
}

/** A consent text as published: what is collected, who reads it, how quotes are used, how long it is kept, any incentive. */
export interface ConsentVersionsTable {
  community_id: string;
  version: number;
  collected: string;
  readers: string;
  quotes: string;
  retention: string;
  incentive: string;
  published_by: string;
  published_at: number;
}

/** Who agreed to which consent version, and when. */
export interface ConsentAgreementsTable {
  community_id: string;
  user_id: string;
  version: number;
  agreed_at: number;
}

/** A processed image: its files live in the storage module under its id (app/features/attachments). */
export interface AttachmentsTable {
  id: string;
  community_id: string;
  owner_id: string;
  /** Null while it waits for its post (uploaded ahead with JavaScript); only its owner sees it then. */
  post_kind: PostKind | null;
  post_id: string | null;
  thread_id: string | null;
  position: number;
  alt: string;
  /** image/png, image/jpeg or image/webp: what the full-size file was re-encoded as. The thumbnail is always WebP. */
  content_type: string;
  width: number;
  height: number;
  thumb_width: number;
  thumb_height: number;
  bytes: number;
  created_at: number;
  attached_at: number | null;
}

/** Who a post mentioned (and was told), so an edit notifies only the newly mentioned. */
export interface MentionsTable {
  post_kind: PostKind;
  post_id: string;
  user_id: string;
  created_at: number;
}

export interface Database {
  polls: PollsTable;
  poll_options: PollOptionsTable;
  poll_answers: PollAnswersTable;
  poll_answer_choices: PollAnswerChoicesTable;
  consent_versions: ConsentVersionsTable;
  consent_agreements: ConsentAgreementsTable;
  follow_ups: FollowUpsTable;
  nudges: NudgesTable;
  attachments: AttachmentsTable;
  mentions: MentionsTable;
  nominations: NominationsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notification_preferences: NotificationPreferencesTable;
  unsubscribe_tokens: UnsubscribeTokensTable;
  digests: DigestsTable;
  time_box_reminders: TimeBoxRemindersTable;
  former_memberships: FormerMembershipsTable;
  search_documents: SearchDocumentsTable;
  tags: TagsTable;
  highlights: HighlightsTable;
  highlight_tags: HighlightTagsTable;
  suggestion_tags: SuggestionTagsTable;
  triage_items: TriageItemsTable;
  audit_log: AuditLogTable;
  suggestions: SuggestionsTable;
  ideas: IdeasTable;
  votes: VotesTable;
  thread_reads: ThreadReadsTable;
  flags: FlagsTable;
  threads: ThreadsTable;
  replies: RepliesTable;
  announcements: AnnouncementsTable;
  notifications: NotificationsTable;
  invitations: InvitationsTable;
  outbox: OutboxTable;
  communities: CommunitiesTable;
  memberships: MembershipsTable;
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  security_events: SecurityEventsTable;
  password_resets: PasswordResetsTable;
  settings: SettingsTable;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the token in the link; the token itself is only ever in the email. */
  token_hash: string;
  /** The staff member who sent the link; null when the person asked for it. */
  sent_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Set when a newer link, or a reset, makes this one void. */
  revoked_at: number | null;
}

/** Instance-wide settings an admin edits, by key (app/features/settings). */
export interface SettingsTable {
  key: string;
  value: string;
  /** The value's Markdown rendered once when saved; null for plain values. */
  value_html: string | null;
  updated_at: number;
  updated_by: string | null;
}

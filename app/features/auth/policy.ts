/**
 * The one access policy. Every loader and action asks whether this actor may do this to
 * this resource now (role × membership × community phase), and the UI asks the same
 * functions what to show. Deny by default: an action without a rule is refused. A refusal
 * carries the status to answer with and a message a person understands.
 */
import type { CommunityRole, GlobalRole } from "#db/schema.ts";
import { formatDayInZone, formatInZone } from "#app/lib/dates.ts";
import { Refusal } from "#app/lib/refusal.ts";

/**
 * The phases a community goes through, which the rules below decide on. The policy names
 * them so that it depends on no other feature; communities/phase.ts says which one a
 * community is in at a time.
 */
export type Phase = "draft" | "upcoming" | "active" | "closed" | "archived";

export interface Actor {
  id: string;
  role: GlobalRole;
}

export const STAFF_ROLES: readonly GlobalRole[] = ["moderator", "product", "admin"];

/** Staff: any of the staff roles. The rules below build on it; it answers no action by itself. */
export function isStaff(actor: Actor | null): boolean {
  return actor !== null && STAFF_ROLES.includes(actor.role);
}

/** What the policy needs to know about a community and the actor's place in it. */
export interface CommunityContext {
  community: { phase: Phase; starts_at: number; ends_at: number; time_zone: string; hide_vote_counts?: 0 | 1; consent_version?: number };
  /** consentVersion: the consent version the member last agreed to (0 or absent: none). */
  membership: { role: CommunityRole; consentVersion?: number } | null;
  /** The actor was a member and left: not a member (nothing to see or do), but the readout still opens for them at close. */
  formerMember?: boolean;
}

/** What each action needs to be decided, besides the actor. */
interface Resources {
  /** See and change one's own account. */
  "account.manage": undefined;
  /** Administer the instance: users, roles, outbox, settings. */
  "admin.manage": undefined;
  /** Change another user's global role. */
  "user.change-role": { targetUserId: string };
  /** Suspend or reactivate another user's account. */
  "user.suspend": { targetUserId: string };
  /** Create a new community. */
  "community.create": undefined;
  /** See a community and what is in it. */
  "community.view": CommunityContext;
  /** Edit a community, publish it, archive it, manage its members. */
  "community.manage": CommunityContext;
  /** Write in a community: post, reply, submit ideas, vote. */
  "community.participate": CommunityContext;
  /** Lead discussions: post research prompts (and schedule them), pin and lock threads, see masked replies. */
  "discussion.lead": CommunityContext;
  /** Moderate: see the flag queue and hidden posts, hide and restore posts. */
  "discussion.moderate": CommunityContext;
  /** See everything in the discussions: scheduled prompts before they appear, masked replies, any phase. */
  "discussion.see-all": CommunityContext;
  /** Open the moderation queue: moderators and admins, or moderators of some community. */
  "moderation.view": { moderatesSomeCommunity: boolean };
  /** Vote for ideas: members taking part (staff run the vote, they do not cast it); never for a hidden idea. */
  "idea.vote": CommunityContext & { idea?: { hidden: boolean } };
  /** See how many votes ideas have: hidden from participants until close where the community says so. */
  "idea.see-votes": CommunityContext;
  /** Merge one idea into another. */
  "idea.merge": CommunityContext;
  /** Work the triage inbox: highlight, tag, link, dismiss, manage tags. */
  "triage.work": undefined;
  /** Read product suggestions, their evidence and staff notes, the board and its export. */
  "suggestion.view": undefined;
  /** Create and change suggestions: details, owner, notes, status and the public answer. */
  "suggestion.edit": undefined;
  /** Take coded evidence out as a REFI-QDA project (.qdpx) or codebook (.qdc): the staff who read suggestions and their evidence. */
  "research.export": undefined;
  /** See a community's readout: what its feedback fed. Members (and former members) once it has closed; staff any time. */
  "community.readout": CommunityContext;
  /** A community's dashboard: its staff (all staff roles) and the community's own moderators. */
  "dashboard.view": CommunityContext;
  /** Add a poll to a thread: moderators and the community's discussion leaders, while they may lead. */
  "poll.create": CommunityContext;
  /** Answer a poll (or change the answer): members taking part, while the community is open. */
  "poll.answer": CommunityContext;
  /** See a poll's results: staff and the community's moderators always; a participant once they answered (masked) and, if hidden until close, once it closed. */
  "poll.see-results": CommunityContext & { poll: { masked: boolean; hiddenUntilClose: boolean }; answered: boolean };
  /** Publish a new version of the community's consent text: its moderators. */
  "consent.publish": CommunityContext;
  /** See who agreed to which consent version, and when: the community's staff (as its dashboard). */
  "consent.agreements": CommunityContext;
  /** Read the audit log of staff actions. */
  "audit.view": undefined;
  /** Nominate a customer as an evangelist: any staff account. */
  "nomination.create": undefined;
  /** See open nominations and invite from them or decline them: moderators and admins. */
  "nomination.review": undefined;
  /** Reply in a thread: taking part, the thread is not locked (leaders still may), its opening post not hidden by a moderator. */
  "thread.reply": CommunityContext & { thread: { locked: boolean; hidden?: boolean } };
  /** Edit or remove one's own post while taking part; not in a locked thread, not once removed. */
  "post.change": CommunityContext & { post: PostFacts };
  /** Flag someone else's post for the moderators, while the community is open. */
  "post.flag": CommunityContext & { post: PostFacts };
  /** Ask a participant a private follow-up on one of their posts: moderators and the community's leaders, while it is open. */
  "follow-up.ask": CommunityContext & { author: { id: string; role: CommunityRole | null }; postRemoved: boolean };
  /** Read a private follow-up and its answer: the participant asked, staff, and those who lead the community. Anyone else: not found. */
  "follow-up.view": CommunityContext & { participantId: string };
  /** Answer a private follow-up: only the participant asked, once, while the community is open. */
  "follow-up.answer": CommunityContext & { participantId: string; answered: boolean };
  /** The list of open follow-ups across communities: moderators and admins, or whoever leads some community. */
  "follow-up.list": { leadsSomeCommunity: boolean };
  /** A community's completion table (participants × prompts) and its CSV: as its dashboard. */
  "completion.view": CommunityContext;
  /** Nudge the members who have not answered a prompt: the community's moderators, while it is open. */
  "completion.nudge": CommunityContext;
  /** See one's own progress through the research prompts ("2 of 5 answered"): a participant of the community. */
  "completion.own": CommunityContext;
  /** Open a person's profile: one's own, anyone's for staff, otherwise only someone one shares a community with. */
  "profile.view": ProfileFacts;
}

/** What the policy needs to know about a profile and its reader. */
export interface ProfileFacts {
  targetUserId: string;
  /** The reader and the person are both in a community the reader can see (staff are in every community). */
  sharesCommunity: boolean;
  /** No such account, or it was erased: there is no one to show. */
  gone: boolean;
}

/** What the policy needs to know about a thread opener or reply. */
export interface PostFacts {
  authorId: string;
  threadLocked: boolean;
  removed: boolean;
}

export type Action = keyof Resources;

/** The resource argument an action takes: none, or one object. */
export type ResourceArgs<A extends Action> = Resources[A] extends undefined ? [] : [Resources[A]];

export type Decision = { allowed: true } | { allowed: false; status: 403 | 404; message: string };

const ALLOW: Decision = { allowed: true };
const forbid = (message = "You do not have access to this."): Decision => ({ allowed: false, status: 403, message });
// Communities a reader may not see answer 404, so their existence does not leak.
const hide: Decision = { allowed: false, status: 404, message: "We could not find that community." };
const when = (condition: boolean, otherwise: Decision): Decision => (condition ? ALLOW : otherwise);
// Staff pages answer 404 to participants, so they learn nothing of them.
const notFound: Decision = { allowed: false, status: 404, message: "We could not find that page." };
const followUpNotFound: Decision = { allowed: false, status: 404, message: "We could not find that follow-up." };
const personNotFound: Decision = { allowed: false, status: 404, message: "We could not find that person." };
const staffOnly = (actor: Actor, allowed: boolean, message: string): Decision => (!isStaff(actor) ? notFound : when(allowed, forbid(message)));

/** Runs a community: a global moderator or admin, or a moderator of this community only. */
function runsCommunity(actor: Actor, context: CommunityContext): boolean {
  return actor.role === "moderator" || actor.role === "admin" || context.membership?.role === "moderator";
}

type Rule<A extends Action> = (actor: Actor, resource: Resources[A]) => Decision;

const rules: { [A in Action]: Rule<A> } = {
  "account.manage": () => ALLOW,
  "admin.manage": (actor) => when(actor.role === "admin", forbid()),
  // Admins manage roles, but not their own: an instance must never lose its last admin by
  // accident, and a role change ends the changer's own sessions.
  "user.change-role": (actor, { targetUserId }) => when(actor.role === "admin" && actor.id !== targetUserId, forbid()),
  // Likewise for suspension: an admin who locked themselves out could not undo it.
  "user.suspend": (actor, { targetUserId }) => when(actor.role === "admin" && actor.id !== targetUserId, forbid()),

  "community.create": (actor) =>
    when(actor.role === "moderator" || actor.role === "admin", forbid("Only moderators and admins create communities.")),

  "community.view": (actor, context) => {
    if (isStaff(actor) || runsCommunity(actor, context)) return ALLOW;
    // Members see their community from publication on; archived ones stay readable by link.
    return when(context.membership !== null && context.community.phase !== "draft", hide);
  },

  "community.manage": (actor, context) => {
    if (!runsCommunity(actor, context)) {
      return isStaff(actor) || context.membership ? forbid("Only the community's moderators can change it.") : hide;
    }
    return when(context.community.phase !== "archived", forbid("This community is archived; it is read only."));
  },

  "community.participate": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    const { community } = context;
    if (actor.role === "product" && !context.membership) {
      return forbid("Product reviewers read communities but do not post in them.");
    }
    if (!context.membership && !runsCommunity(actor, context)) return forbid("Join this community to take part.");
    switch (community.phase) {
      case "active":
        // A member who has not agreed to the community's current consent reads but does not write until they do.
        return when(!consentPending(actor, context), forbid(`The consent for this community has changed. Read version ${community.consent_version} and agree to it (Consent, on the community page) before you take part again.`));
      case "draft":
      case "upcoming":
        // Moderators prepare a community before it opens; participants wait for it.
        if (runsCommunity(actor, context)) return ALLOW;
        return forbid(`This community opens on ${formatInZone(community.starts_at, community.time_zone)}; you can take part from then.`);
      case "closed":
        return forbid(`This community closed on ${formatDayInZone(community.ends_at, community.time_zone)}; it is read only.`);
      case "archived":
        return forbid("This community is archived; it is read only.");
    }
  },

  "discussion.lead": (actor, context) => {
    const participate = rules["community.participate"](actor, context);
    if (!participate.allowed) return participate;
    return when(leadsDiscussions(actor, context), forbid("Only moderators and discussion leaders can do this."));
  },

  // Staff always see all; leaders see what they lead.
  "discussion.see-all": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    return when(isStaff(actor) || leadsDiscussions(actor, context), forbid());
  },

  "moderation.view": (actor, { moderatesSomeCommunity }) =>
    when(actor.role === "moderator" || actor.role === "admin" || moderatesSomeCommunity, forbid("Only moderators see the moderation queue.")),

  "discussion.moderate": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    if (!runsCommunity(actor, context)) return forbid("Only the community's moderators can do this.");
    // Moderation goes on after a community closes; an archived one is frozen.
    return when(context.community.phase !== "archived", forbid("This community is archived; it is read only."));
  },

  "idea.vote": (actor, context) => {
    const participate = rules["community.participate"](actor, context);
    if (!participate.allowed) return participate;
    if (context.membership === null) return forbid("Only the community's members vote on its ideas.");
    return when(!context.idea?.hidden, forbid("A moderator hid this idea; it takes no votes."));
  },

  "idea.see-votes": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    const { community } = context;
    const hidden = community.hide_vote_counts === 1 && (community.phase === "active" || community.phase === "upcoming");
    return when(!hidden || isStaff(actor) || runsCommunity(actor, context), forbid("Vote counts are hidden until the community closes."));
  },

  "idea.merge": (actor, context) => rules["discussion.moderate"](actor, context),

  "triage.work": (actor) => staffOnly(actor, actor.role === "moderator" || actor.role === "admin", "Only moderators triage feedback."),
  "suggestion.view": (actor) => staffOnly(actor, true, ""),
  "suggestion.edit": (actor) => staffOnly(actor, true, ""),
  "research.export": (actor) => staffOnly(actor, true, ""),
  "community.readout": (actor, context) => {
    const over = context.community.phase === "closed" || context.community.phase === "archived";
    // Someone who left keeps the promise made to every member: they see what their feedback became.
    if (context.formerMember && context.membership === null && over) return ALLOW;
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    return when(over || isStaff(actor), forbid("The readout opens when the community closes."));
  },
  "dashboard.view": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    return when(isStaff(actor) || runsCommunity(actor, context), context.membership ? forbid("Only staff see the dashboard.") : hide);
  },
  "poll.create": (actor, context) => rules["discussion.lead"](actor, context),
  "poll.answer": (actor, context) => {
    const participate = rules["community.participate"](actor, context);
    if (!participate.allowed) return participate;
    return when(context.membership !== null, forbid("Only the community's members answer its polls."));
  },
  "poll.see-results": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    if (isStaff(actor) || runsCommunity(actor, context)) return ALLOW;
    // Leaders answer polls like any participant, so the same bias controls hold for them.
    const open = context.community.phase === "active" || context.community.phase === "upcoming";
    if (open && context.poll.hiddenUntilClose) return forbid("The results stay hidden until the community closes.");
    return when(!open || !context.poll.masked || context.answered, forbid("You will see the results once you have answered."));
  },
  "consent.publish": (actor, context) => rules["community.manage"](actor, context),
  "consent.agreements": (actor, context) => rules["dashboard.view"](actor, context),
  "audit.view": (actor) => staffOnly(actor, actor.role === "moderator" || actor.role === "admin", "Only moderators and admins read the audit log."),
  "nomination.create": (actor) => staffOnly(actor, true, ""),
  "nomination.review": (actor) => staffOnly(actor, actor.role === "moderator" || actor.role === "admin", "Only moderators and admins invite from nominations."),

  "thread.reply": (actor, context) => {
    const participate = rules["community.participate"](actor, context);
    if (!participate.allowed) return participate;
    if (context.thread.hidden) return forbid("A moderator hid this thread; it takes no new replies.");
    return when(!context.thread.locked || leadsDiscussions(actor, context), forbid("This thread is locked; it takes no new replies."));
  },

  "post.change": (actor, context) => {
    if (context.post.authorId !== actor.id) return forbid("Only its author can change a post.");
    if (context.post.removed) return forbid("This post was removed; it can no longer be changed.");
    const participate = rules["community.participate"](actor, context);
    if (!participate.allowed) return participate;
    return when(!context.post.threadLocked || leadsDiscussions(actor, context), forbid("This thread is locked; its posts can no longer be changed."));
  },

  "post.flag": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    if (context.post.authorId === actor.id) return forbid("You cannot flag your own post.");
    if (context.post.removed) return forbid("This post has already been removed.");
    // Moderators do not flag: they hide.
    if (runsCommunity(actor, context)) return forbid("Moderators hide posts rather than flag them.");
    if (context.membership === null && !isStaff(actor)) return forbid("Join this community to flag posts.");
    // A flag is a write: only inside the time box, like posting.
    return outsideTimeBox(context) ?? ALLOW;
  },

  "follow-up.ask": (actor, context) => {
    const lead = rules["discussion.lead"](actor, context);
    if (!lead.allowed) return lead;
    if (context.author.id === actor.id) return forbid("You cannot ask yourself a follow-up.");
    if (context.author.role !== "participant" && context.author.role !== "leader") return forbid("Follow-ups are asked of the community's participants.");
    if (context.postRemoved) return forbid("This post was removed; ask about another one.");
    return outsideTimeBox(context) ?? ALLOW;
  },
  // Private: everyone else learns nothing, not even that it exists.
  "follow-up.view": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    return when(actor.id === context.participantId || isStaff(actor) || leadsDiscussions(actor, context), followUpNotFound);
  },
  "follow-up.answer": (actor, context) => {
    const view = rules["follow-up.view"](actor, context);
    if (!view.allowed) return view;
    if (actor.id !== context.participantId) return forbid("Only the participant it was asked of answers a follow-up.");
    if (context.answered) return forbid("You have already answered this follow-up.");
    return rules["community.participate"](actor, context);
  },
  "follow-up.list": (actor, { leadsSomeCommunity }) => {
    if (actor.role === "moderator" || actor.role === "admin" || leadsSomeCommunity) return ALLOW;
    return isStaff(actor) ? forbid("Only moderators and discussion leaders follow up with participants.") : notFound;
  },
  "completion.view": (actor, context) => rules["dashboard.view"](actor, context),
  "completion.nudge": (actor, context) => {
    const moderate = rules["discussion.moderate"](actor, context);
    if (!moderate.allowed) return moderate;
    return outsideTimeBox(context) ?? ALLOW;
  },
  "completion.own": (actor, context) => {
    const view = rules["community.view"](actor, context);
    if (!view.allowed) return view;
    return when(onlyTakesPart(context), forbid());
  },

  // A profile nobody may see answers exactly as one that does not exist, so ids leak nothing.
  "profile.view": (actor, profile) => {
    if (profile.gone) return personNotFound;
    return when(actor.id === profile.targetUserId || isStaff(actor) || profile.sharesCommunity, personNotFound);
  },
};

/** The refusal for a write outside the community's time box (before it opens, after it closes), or null while it is open. */
function outsideTimeBox({ community }: CommunityContext): Decision | null {
  switch (community.phase) {
    case "active":
      return null;
    case "draft":
    case "upcoming":
      return forbid(`This community opens on ${formatInZone(community.starts_at, community.time_zone)}; you can take part from then.`);
    case "closed":
      return forbid(`This community closed on ${formatDayInZone(community.ends_at, community.time_zone)}; it is read only.`);
    case "archived":
      return forbid("This community is archived; it is read only.");
  }
}

/** A member (not one who runs the community) who has not agreed to the community's current consent version. */
export function consentPending(actor: Actor, context: CommunityContext): boolean {
  if (!context.membership || runsCommunity(actor, context)) return false;
  return (context.community.consent_version ?? 0) > (context.membership.consentVersion ?? 0);
}

/** Leads a community's discussions: whoever runs it, or a member made discussion leader there. */
function leadsDiscussions(actor: Actor, context: CommunityContext): boolean {
  return runsCommunity(actor, context) || isDiscussionLeader(context.membership?.role);
}

/** A member made discussion leader of a community (those who run it lead too, but by another role). */
export function isDiscussionLeader(role: CommunityRole | null | undefined): boolean {
  return role === "leader";
}

/** A member who only takes part, neither leading nor moderating: the one the bias controls (shuffled ideas) are for. */
export function onlyTakesPart(context: Pick<CommunityContext, "membership">): boolean {
  return context.membership?.role === "participant";
}

/** The policy's full answer: allowed, or refused with a status and a reason. */
export function decide<A extends Action>(actor: Actor | null, action: A, ...resource: ResourceArgs<A>): Decision {
  const rule = rules[action] as Rule<A> | undefined;
  if (!rule) return forbid();
  if (!actor) {
    // Anonymous visitors see nothing that needs a rule; hide communities entirely.
    return action.startsWith("community.") && action !== "community.create" ? hide : forbid("Sign in first.");
  }
  return rule(actor, resource[0] as Resources[A]);
}

/** May this actor do this now? */
export function can<A extends Action>(actor: Actor | null, action: A, ...resource: ResourceArgs<A>): boolean {
  return decide(actor, action, ...resource).allowed;
}

/** Throw the policy's refusal (a 404 or a 403 with its reason) unless the action is allowed. */
export function assertAllowed<A extends Action>(actor: Actor | null, action: A, ...resource: ResourceArgs<A>): void {
  const decision = decide(actor, action, ...resource);
  if (!decision.allowed) throw new Refusal(decision.status, decision.message);
}

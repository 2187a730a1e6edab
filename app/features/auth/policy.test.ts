import { describe, expect, it } from "vitest";
import { can, decide, isStaff, type Actor } from "./policy.ts";

const actor = (role: Actor["role"], id: string = role): Actor => ({ id, role });

describe("access policy", () => {
  it("refuses anonymous visitors everything that needs a rule", () => {
    expect(can(null, "account.manage")).toBe(false);
    expect(can(null, "admin.manage")).toBe(false);
    expect(can(null, "user.change-role", { targetUserId: "x" })).toBe(false);
  });

  it("denies an action it has no rule for", () => {
    // Simulates a route asking about an action nobody wrote a rule for.
    expect(can(actor("admin"), "no.such.action" as never)).toBe(false);
  });

  it("lets every signed-in user manage their own account", () => {
    for (const role of ["member", "moderator", "product", "admin"] as const) {
      expect(can(actor(role), "account.manage")).toBe(true);
    }
  });

  it("counts moderators, product reviewers and admins as staff, and no one else", () => {
    expect(isStaff(actor("member"))).toBe(false);
    expect(isStaff(actor("moderator"))).toBe(true);
    expect(isStaff(actor("product"))).toBe(true);
    expect(isStaff(actor("admin"))).toBe(true);
    expect(isStaff(null)).toBe(false);
  });

  it("keeps administration to admins", () => {
    expect(can(actor("moderator"), "admin.manage")).toBe(false);
    expect(can(actor("product"), "admin.manage")).toBe(false);
    expect(can(actor("admin"), "admin.manage")).toBe(true);
  });

  it("lets admins change other people's roles but not their own", () => {
    expect(can(actor("admin", "a1"), "user.change-role", { targetUserId: "u2" })).toBe(true);
    expect(can(actor("admin", "a1"), "user.change-role", { targetUserId: "a1" })).toBe(false);
    expect(can(actor("moderator", "m1"), "user.change-role", { targetUserId: "u2" })).toBe(false);
    expect(can(actor("admin", "a1"), "user.suspend", { targetUserId: "u2" })).toBe(true);
    expect(can(actor("admin", "a1"), "user.suspend", { targetUserId: "a1" })).toBe(false);
    expect(can(actor("moderator", "m1"), "user.suspend", { targetUserId: "u2" })).toBe(false);
  });
});

describe("community rules", () => {
  const starts = Date.UTC(2026, 2, 3, 8);
  const ends = Date.UTC(2026, 2, 17, 18);
  const community = (phase: import("#app/features/communities/phase.ts").Phase) => ({
    phase,
    starts_at: starts,
    ends_at: ends,
    time_zone: "Europe/Berlin",
  });
  const member = (phase: Parameters<typeof community>[0], role: "participant" | "leader" | "moderator" = "participant") => ({
    community: community(phase),
    membership: { role },
  });
  const outsider = (phase: Parameters<typeof community>[0]) => ({ community: community(phase), membership: null });

  it("hides a community from people who are not in it, with 404", () => {
    const decision = decide(actor("member"), "community.view", outsider("active"));
    expect(decision).toEqual({ allowed: false, status: 404, message: "We could not find that community." });
    expect(decide(null, "community.view", member("active")).allowed).toBe(false);
  });

  it("hides drafts from members but shows every other phase", () => {
    expect(can(actor("member"), "community.view", member("draft"))).toBe(false);
    for (const phase of ["upcoming", "active", "closed", "archived"] as const) {
      expect(can(actor("member"), "community.view", member(phase))).toBe(true);
    }
  });

  it("lets every staff role read every community", () => {
    for (const role of ["moderator", "product", "admin"] as const) {
      expect(can(actor(role), "community.view", outsider("draft"))).toBe(true);
    }
  });

  it("lets participants write only while the community is active, saying why otherwise", () => {
    expect(can(actor("member"), "community.participate", member("active"))).toBe(true);
    const upcoming = decide(actor("member"), "community.participate", member("upcoming"));
    expect(upcoming).toMatchObject({ allowed: false, status: 403 });
    expect(upcoming.allowed || upcoming.message).toBe(
      "This community opens on Tuesday, 3 March 2026 at 09:00 CET; you can take part from then.",
    );
    const closed = decide(actor("member"), "community.participate", member("closed"));
    expect(closed.allowed || closed.message).toBe("This community closed on 17 March 2026; it is read only.");
    expect(can(actor("member"), "community.participate", member("archived"))).toBe(false);
  });

  it("keeps product reviewers to reading", () => {
    const decision = decide(actor("product"), "community.participate", outsider("active"));
    expect(decision.allowed || decision.message).toBe("Product reviewers read communities but do not post in them.");
  });

  it("lets moderators prepare before opening, but not write after closing", () => {
    expect(can(actor("moderator"), "community.participate", outsider("upcoming"))).toBe(true);
    expect(can(actor("moderator"), "community.participate", outsider("draft"))).toBe(true);
    expect(can(actor("moderator"), "community.participate", outsider("closed"))).toBe(false);
  });

  it("lets moderators, admins and a community's own moderator manage it, until archived", () => {
    expect(can(actor("moderator"), "community.manage", outsider("active"))).toBe(true);
    expect(can(actor("admin"), "community.manage", outsider("closed"))).toBe(true);
    expect(can(actor("member"), "community.manage", member("active", "moderator"))).toBe(true);
    expect(can(actor("member"), "community.manage", member("active", "leader"))).toBe(false);
    expect(can(actor("product"), "community.manage", outsider("active"))).toBe(false);
    expect(can(actor("moderator"), "community.manage", outsider("archived"))).toBe(false);
    // A participant of another community learns nothing: 404.
    expect(decide(actor("member"), "community.manage", outsider("active"))).toMatchObject({ status: 404 });
  });

  it("lets only moderators and admins create communities", () => {
    expect(can(actor("moderator"), "community.create")).toBe(true);
    expect(can(actor("admin"), "community.create")).toBe(true);
    expect(can(actor("product"), "community.create")).toBe(false);
    expect(can(actor("member"), "community.create")).toBe(false);
  });

  describe("discussions", () => {
    const me = actor("member", "me");
    const post = (authorId: string, extra: { threadLocked?: boolean; removed?: boolean } = {}) => ({ authorId, threadLocked: false, removed: false, ...extra });

    it("lets moderators and a community's leaders lead, in an open community only", () => {
      expect(can(me, "discussion.lead", member("active", "leader"))).toBe(true);
      expect(can(me, "discussion.lead", member("active", "participant"))).toBe(false);
      expect(can(actor("moderator"), "discussion.lead", outsider("upcoming"))).toBe(true);
      expect(can(me, "discussion.lead", member("closed", "leader"))).toBe(false);
      expect(can(actor("product"), "discussion.lead", outsider("active"))).toBe(false);
    });

    it("shows masked and scheduled posts to staff and leaders only", () => {
      expect(can(actor("product"), "discussion.see-all", outsider("active"))).toBe(true);
      expect(can(me, "discussion.see-all", member("closed", "leader"))).toBe(true);
      expect(can(me, "discussion.see-all", member("active", "participant"))).toBe(false);
      expect(decide(me, "discussion.see-all", outsider("active"))).toMatchObject({ status: 404 });
    });

    it("keeps moderation to the community's moderators, after closing too, until archived", () => {
      expect(can(actor("moderator"), "discussion.moderate", outsider("closed"))).toBe(true);
      expect(can(me, "discussion.moderate", member("active", "moderator"))).toBe(true);
      expect(can(me, "discussion.moderate", member("active", "leader"))).toBe(false);
      expect(can(actor("product"), "discussion.moderate", outsider("active"))).toBe(false);
      expect(can(actor("admin"), "discussion.moderate", outsider("archived"))).toBe(false);
      expect(can(me, "moderation.view", { moderatesSomeCommunity: false })).toBe(false);
      expect(can(me, "moderation.view", { moderatesSomeCommunity: true })).toBe(true);
    });

    it("closes a locked thread to participants' replies, not to its leaders", () => {
      expect(decide(me, "thread.reply", { ...member("active", "participant"), thread: { locked: true } })).toMatchObject({ message: "This thread is locked; it takes no new replies." });
      expect(can(me, "thread.reply", { ...member("active", "leader"), thread: { locked: true } })).toBe(true);
      expect(can(me, "thread.reply", { ...member("closed", "leader"), thread: { locked: false } })).toBe(false);
    });

    it("lets only the author change a post, while taking part, unlocked and not removed", () => {
      expect(can(me, "post.change", { ...member("active", "participant"), post: post("me") })).toBe(true);
      expect(can(me, "post.change", { ...member("active", "participant"), post: post("someone") })).toBe(false);
      expect(can(actor("admin"), "post.change", { ...outsider("active"), post: post("someone") })).toBe(false);
      expect(can(me, "post.change", { ...member("closed", "participant"), post: post("me") })).toBe(false);
      expect(can(me, "post.change", { ...member("active", "participant"), post: post("me", { threadLocked: true }) })).toBe(false);
      expect(can(me, "post.change", { ...member("active", "participant"), post: post("me", { removed: true }) })).toBe(false);
    });

    it("lets members flag others' live posts; not their own, not outsiders, and moderators hide instead", () => {
      expect(can(me, "post.flag", { ...member("active", "participant"), post: post("someone") })).toBe(true);
      expect(can(me, "post.flag", { ...member("active", "participant"), post: post("me") })).toBe(false);
      expect(can(me, "post.flag", { ...member("active", "participant"), post: post("someone", { removed: true }) })).toBe(false);
      expect(decide(me, "post.flag", { ...outsider("active"), post: post("someone") })).toMatchObject({ status: 404 });
      expect(can(actor("moderator"), "post.flag", { ...outsider("active"), post: post("someone") })).toBe(false);
      expect(can(actor("product"), "post.flag", { ...outsider("active"), post: post("someone") })).toBe(true);
    });

    it("refuses anonymous visitors every discussion action", () => {
      expect(can(null, "discussion.lead", outsider("active"))).toBe(false);
      expect(can(null, "thread.reply", { ...outsider("active"), thread: { locked: false } })).toBe(false);
      expect(can(null, "post.flag", { ...outsider("active"), post: post("someone") })).toBe(false);
    });
  });

  describe("ideas", () => {
    const me = actor("member", "me");
    const hidden = (phase: Parameters<typeof community>[0], role: "participant" | "leader" | "moderator" | null = "participant") => {
      const base = role ? member(phase, role) : outsider(phase);
      return { ...base, community: { ...base.community, hide_vote_counts: 1 as const } };
    };

    it("lets members vote while the community is open; staff who are not members do not", () => {
      expect(can(me, "idea.vote", member("active"))).toBe(true);
      expect(can(me, "idea.vote", member("closed"))).toBe(false);
      expect(decide(actor("moderator"), "idea.vote", outsider("active"))).toMatchObject({ message: "Only the community's members vote on its ideas." });
      expect(can(actor("product"), "idea.vote", outsider("active"))).toBe(false);
    });

    it("hides vote counts from participants and leaders until close where asked, never from staff", () => {
      expect(can(me, "idea.see-votes", member("active"))).toBe(true);
      expect(can(me, "idea.see-votes", hidden("active"))).toBe(false);
      expect(can(me, "idea.see-votes", hidden("active", "leader"))).toBe(false);
      expect(can(me, "idea.see-votes", hidden("closed"))).toBe(true);
      expect(can(actor("product"), "idea.see-votes", hidden("active", null))).toBe(true);
      expect(can(me, "idea.see-votes", hidden("active", "moderator"))).toBe(true);
    });

    it("keeps merging to moderators", () => {
      expect(can(actor("moderator"), "idea.merge", outsider("active"))).toBe(true);
      expect(can(me, "idea.merge", member("active", "leader"))).toBe(false);
      expect(can(actor("product"), "idea.merge", outsider("active"))).toBe(false);
    });
  });
});

describe("profiles", () => {
  const facts = (sharesCommunity: boolean, gone = false) => ({ targetUserId: "target", sharesCommunity, gone });
  it("shows one's own profile, and others' only to people who share a community with them", () => {
    expect(can(actor("member", "target"), "profile.view", facts(false))).toBe(true);
    expect(can(actor("member"), "profile.view", facts(true))).toBe(true);
    expect(decide(actor("member"), "profile.view", facts(false))).toMatchObject({ allowed: false, status: 404 });
    expect(can(null, "profile.view", facts(true))).toBe(false);
  });
  it("lets every staff role see anyone, and no one see an erased or missing account, with the same 404", () => {
    for (const role of ["moderator", "product", "admin"] as const) expect(can(actor(role), "profile.view", facts(false))).toBe(true);
    const gone = decide(actor("admin"), "profile.view", facts(true, true));
    expect(gone).toEqual(decide(actor("member"), "profile.view", facts(false)));
  });
});

describe("a former member", () => {
  const community = (phase: "upcoming" | "active" | "closed" | "archived" | "draft") => ({ phase, starts_at: 0, ends_at: 1, time_zone: "UTC" });
  const former = (phase: Parameters<typeof community>[0]) => ({ community: community(phase), membership: null, formerMember: true });

  it("sees nothing of the community, and cannot take part", () => {
    for (const phase of ["upcoming", "active", "closed", "archived"] as const) {
      expect(decide(actor("member"), "community.view", former(phase))).toMatchObject({ allowed: false, status: 404 });
      expect(can(actor("member"), "community.participate", former(phase))).toBe(false);
    }
  });

  it("reads the readout once it has closed, not before, and never a draft's", () => {
    expect(can(actor("member"), "community.readout", former("closed"))).toBe(true);
    expect(can(actor("member"), "community.readout", former("archived"))).toBe(true);
    expect(decide(actor("member"), "community.readout", former("active"))).toMatchObject({ allowed: false, status: 404 });
    expect(can(actor("member"), "community.readout", former("upcoming"))).toBe(false);
    expect(can(actor("member"), "community.readout", former("draft"))).toBe(false);
    // Someone who never was a member gets nothing.
    expect(can(actor("member"), "community.readout", { community: community("closed"), membership: null })).toBe(false);
  });
});

describe("study rules: follow-ups and completion", () => {
  const community = (phase: import("#app/features/communities/phase.ts").Phase) => ({ phase, starts_at: Date.UTC(2026, 2, 3, 8), ends_at: Date.UTC(2026, 2, 17, 18), time_zone: "Europe/Berlin" });
  const member = (phase: Parameters<typeof community>[0], role: "participant" | "leader" | "moderator" = "participant") => ({ community: community(phase), membership: { role } });
  const outsider = (phase: Parameters<typeof community>[0]) => ({ community: community(phase), membership: null });

  it("lets moderators and leaders ask participants private follow-ups while open, and only the participant, staff and leaders read them", () => {
    const participantAuthor = { author: { id: "lena", role: "participant" as const }, postRemoved: false };
    expect(can(actor("member", "sam"), "follow-up.ask", { ...member("active", "leader"), ...participantAuthor })).toBe(true);
    expect(can(actor("moderator"), "follow-up.ask", { ...outsider("active"), ...participantAuthor })).toBe(true);
    expect(can(actor("member", "otto"), "follow-up.ask", { ...member("active"), ...participantAuthor })).toBe(false);
    expect(can(actor("product"), "follow-up.ask", { ...outsider("active"), ...participantAuthor })).toBe(false);
    expect(can(actor("moderator"), "follow-up.ask", { ...outsider("closed"), ...participantAuthor })).toBe(false);
    expect(can(actor("moderator"), "follow-up.ask", { ...outsider("active"), author: { id: "maya", role: "moderator" }, postRemoved: false })).toBe(false);

    const lenas = { participantId: "lena" };
    expect(can(actor("member", "lena"), "follow-up.view", { ...member("active"), ...lenas })).toBe(true);
    expect(decide(actor("member", "otto"), "follow-up.view", { ...member("active"), ...lenas })).toEqual({ allowed: false, status: 404, message: "We could not find that follow-up." });
    expect(can(actor("member", "sam"), "follow-up.view", { ...member("active", "leader"), ...lenas })).toBe(true);
    expect(can(actor("product"), "follow-up.view", { ...outsider("active"), ...lenas })).toBe(true);

    expect(can(actor("member", "lena"), "follow-up.answer", { ...member("active"), ...lenas, answered: false })).toBe(true);
    expect(can(actor("member", "lena"), "follow-up.answer", { ...member("active"), ...lenas, answered: true })).toBe(false);
    expect(can(actor("member", "lena"), "follow-up.answer", { ...member("closed"), ...lenas, answered: false })).toBe(false);
    expect(can(actor("moderator"), "follow-up.answer", { ...outsider("active"), ...lenas, answered: false })).toBe(false);

    expect(can(actor("member"), "follow-up.list", { leadsSomeCommunity: true })).toBe(true);
    expect(decide(actor("member"), "follow-up.list", { leadsSomeCommunity: false }).allowed).toBe(false);
    expect(decide(actor("product"), "follow-up.list", { leadsSomeCommunity: false })).toMatchObject({ allowed: false, status: 403 });
  });

  it("shows completion to staff and the community's moderators, lets its moderators nudge while open, and counts a participant's own progress", () => {
    expect(can(actor("product"), "completion.view", outsider("active"))).toBe(true);
    expect(can(actor("member"), "completion.view", member("active", "leader"))).toBe(false);
    expect(can(actor("member"), "completion.nudge", member("active", "moderator"))).toBe(true);
    expect(can(actor("moderator"), "completion.nudge", outsider("closed"))).toBe(false);
    expect(can(actor("product"), "completion.nudge", outsider("active"))).toBe(false);
    expect(can(actor("member"), "completion.own", member("active"))).toBe(true);
    expect(can(actor("member"), "completion.own", member("active", "leader"))).toBe(false);
  });
});

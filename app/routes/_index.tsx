import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can, isStaff } from "#app/features/auth/policy.ts";
import { getCurrentUser } from "#app/features/auth/request.server.ts";
import { describeTimeBox, listFormerCommunities, listHomeCommunities } from "#app/features/communities/communities.server.ts";
import { FormerCommunities, LeftNotice, type FormerCommunity } from "#app/features/communities/former-communities.tsx";
import type { Phase } from "#app/features/communities/phase.ts";
import { PhaseBadge, timeBoxSummary, type TimeBoxText } from "#app/features/communities/time-box.tsx";
import { InvitationContact } from "#app/features/settings/invitation-contact.tsx";
import { getInvitationContact } from "#app/features/settings/settings.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { needingMyReply } from "#app/features/follow-ups/follow-ups.server.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { now } from "#app/lib/clock.ts";
import { buttonClass } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  const db = getDb();
  if (!user) return { signedIn: false as const, invitationContact: (await getInvitationContact(db))?.html ?? null };
  // Both lists at once: the home page is the most visited page.
  const [communities, former, waiting] = await Promise.all([listHomeCommunities(db, user), listFormerCommunities(db, user), needingMyReply(db, user)]);
  const at = now();
  const staff = isStaff(user);
  return {
    signedIn: true as const,
    displayName: user.displayName,
    staff,
    canCreate: can(user, "community.create"),
    communities: communities.map((c) => ({
      slug: c.slug,
      name: c.name,
      members: c.members,
      box: describeTimeBox(c),
    })),
    former,
    needsReply: waiting.map((f) => ({ id: f.id, thread: f.thread, community: f.community, asked: formatRelative(f.created_at, at) })),
    left: new URL(request.url).searchParams.get("left"),
    anonymised: new URL(request.url).searchParams.has("anonymised"),
    // Someone signed in with nowhere to go is told whom to ask, as a visitor is.
    invitationContact: communities.length || staff ? null : ((await getInvitationContact(db))?.html ?? null),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.signedIn ? "Your communities · Cohort" : "Cohort: research communities that reach the product team" },
];

export default function HomePage() {
  const data = useLoaderData<typeof loader>();
  if (!data.signedIn) return <Landing invitationContact={data.invitationContact} />;
  return <SignedInHome {...data} />;
}

interface HomeCommunity {
  slug: string;
  name: string;
  members: number;
  box: TimeBoxText;
}

// Open communities first: that is where there is something to do today.
const GROUPS: { phase: Phase; title: string }[] = [
  { phase: "active", title: "Open now" },
  { phase: "upcoming", title: "Opening soon" },
  { phase: "draft", title: "Drafts" },
  { phase: "closed", title: "Closed" },
];

function SignedInHome({ displayName, staff, canCreate, communities, former, needsReply, left, anonymised, invitationContact }: { displayName: string; staff: boolean; canCreate: boolean; communities: HomeCommunity[]; former: FormerCommunity[]; needsReply: NeedsReply[]; left: string | null; anonymised: boolean; invitationContact: string | null }) {
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-600">Welcome, {displayName}</p>
          <h1 className="mt-1 text-2xl font-bold tracking-tight">Your communities</h1>
        </div>
        {canCreate ? (
          <Link to="/communities/new" className={buttonClass("primary")}>
            New community
          </Link>
        ) : null}
      </div>
      <LeftNotice communities={former} left={left} anonymised={anonymised} />
      <NeedsYourReply items={needsReply} />
      {communities.length ? (
        GROUPS.map((group) => {
          const items = communities.filter((c) => c.box.phase === group.phase);
          if (!items.length) return null;
          return (
            <section key={group.phase} aria-labelledby={`group-${group.phase}`} className="mt-8">
              <h2 id={`group-${group.phase}`} className="text-sm font-semibold uppercase tracking-wide text-slate-500">
                {group.title}
              </h2>
              <ul className="mt-3 grid gap-4 sm:grid-cols-2">
                {items.map((community) => (
                  <li key={community.slug} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
                    <div className="flex items-start justify-between gap-2">
                      <Link to={`/c/${community.slug}`} className="text-lg font-semibold text-slate-900 wrap-anywhere">
                        {community.name}
                      </Link>
                      <PhaseBadge phase={community.box.phase} />
                    </div>
                    <p className="mt-2 text-sm text-slate-700">{timeBoxSummary(community.box)}</p>
                    <p className="mt-1 text-xs text-slate-500">
                      {community.box.opens} to {community.box.closes} · {community.members} member{community.members === 1 ? "" : "s"}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      ) : (
      <section aria-label="Your communities" className="mt-8 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
        <h2 className="text-lg font-semibold">You are not in any community yet</h2>
        <p className="mx-auto mt-2 max-w-prose text-slate-600">
          {staff
            ? "No research community has been set up on this Cohort yet. Once one exists, it will be listed here with its dates and phase."
            : "Cohort communities are private. You join one through the invitation link that the company running it sends you; it will then be listed here with its dates."}
        </p>
        <InvitationContact html={invitationContact} className="mx-auto mt-6 max-w-prose text-left" />
      </section>
      )}
      <FormerCommunities communities={former} />
    </main>
  );
}

interface NeedsReply {
  id: string;
  thread: string;
  community: string;
  asked: string;
}

/** Private follow-ups waiting for this member's answer: the first thing to do today. */
function NeedsYourReply({ items }: { items: NeedsReply[] }) {
  if (!items.length) return null;
  return (
    <section aria-labelledby="needs-reply-heading" className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-5">
      <h2 id="needs-reply-heading" className="text-sm font-semibold uppercase tracking-wide text-amber-900">
        Needs your reply
      </h2>
      <ul className="mt-2 space-y-2">
        {items.map((item) => (
          <li key={item.id} className="text-sm text-slate-800">
            <Link to={`/follow-ups/${item.id}`} className="font-medium">
              A private follow-up on your post in “{item.thread}”
            </Link>{" "}
            <span className="text-slate-600">
              · {item.community} · asked {item.asked}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const STEPS = [
  {
    title: "Invite your evangelists",
    text: "Open a private community for a declared time box. Everyone sees when it opens and when it closes before they join.",
  },
  {
    title: "Discuss and vote",
    text: "Research prompts, threads and idea voting, with bias controls researchers ask for: masked answers, hidden counts, random order.",
  },
  {
    title: "Turn feedback into suggestions",
    text: "Moderators highlight what matters, tag it and link it to product suggestions backed by every quote and vote.",
  },
  {
    title: "Close the loop",
    text: "Product teams decide and answer. Every contributor hears what became of their words, including why when the answer is no.",
  },
];

function Landing({ invitationContact }: { invitationContact: string | null }) {
  return (
    <main id="main">
      <section className="bg-white">
        <div className="mx-auto max-w-5xl px-4 py-16 sm:py-24">
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Research communities</p>
          <h1 className="mt-3 max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl">
            Hear your most passionate customers, then tell them what you did.
          </h1>
          <p className="mt-6 max-w-2xl text-lg text-slate-600">
            Cohort runs time-boxed research communities. Customers join for a purpose with a start and an end, share what they
            think in discussions and idea votes, and every useful word reaches the product team as a tagged, evidenced
            suggestion that gets an answer.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link to="/login" className={buttonClass("primary")}>
              Sign in
            </Link>
            <Link to="/signup" className={buttonClass("secondary")}>
              Create an account
            </Link>
          </div>
          <InvitationContact html={invitationContact} className="mt-8 max-w-2xl" />
        </div>
      </section>
      <section aria-labelledby="how-heading" className="mx-auto max-w-5xl px-4 py-14">
        <h2 id="how-heading" className="text-xl font-bold">
          How it works
        </h2>
        <ol className="mt-6 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
          {STEPS.map((step, index) => (
            <li key={step.title} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <span className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 text-sm font-bold text-brand-700">
                {index + 1}
              </span>
              <h3 className="mt-3 font-semibold">{step.title}</h3>
              <p className="mt-2 text-sm text-slate-600">{step.text}</p>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

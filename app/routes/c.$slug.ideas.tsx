import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { can, decide } from "#app/features/auth/policy.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityHeader, describeTimeBox, getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { PhaseBanner } from "#app/features/communities/time-box.tsx";
import { CommunityTabs } from "#app/features/communities/community-tabs.tsx";
import { castVote, listIdeas, similarIdeas, sortsFor, submitIdea, voteBudget, type IdeaSort, type SimilarIdea } from "#app/features/ideas/ideas.server.ts";
import { IdeasActionSchema } from "#app/features/ideas/schemas.ts";
import { StatusBadge } from "#app/features/ideas/status.tsx";
import { VoteButton } from "#app/features/ideas/vote-button.tsx";
import { VoteBudgetLine } from "#app/features/ideas/vote-budget.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";
import { now } from "#app/lib/clock.ts";
import { formatDayInZone, formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { imagesOfForm, readPostForm } from "#app/features/attachments/form.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { safeRedirect } from "#app/lib/security.ts";
import { ImageFields } from "#app/features/attachments/images.tsx";
import { MentionSuggest } from "#app/features/mentions/mention-suggest.tsx";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";
import { count } from "#app/lib/plural.ts";

const SORT_LABEL: Record<IdeaSort, string> = { top: "Top", trending: "Trending", new: "New", shuffled: "Shuffled for you" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const view = await orRespond(getCommunityForActor(getDb(), user, params.slug ?? ""));
  const { community } = view;
  const url = new URL(request.url);
  // While a member writes an idea, the form asks for the most similar ones (and nothing else).
  if (url.searchParams.has("similar")) {
    const draft = { title: (url.searchParams.get("title") ?? "").slice(0, 200), body: (url.searchParams.get("body") ?? "").slice(0, 2000) };
    return { similarOnly: true as const, similar: await similarIdeas(getDb(), user, community.slug, draft) };
  }
  const { sorts, initial } = sortsFor(user, view);
  const asked = url.searchParams.get("sort") as IdeaSort | null;
  const sort = asked && sorts.includes(asked) ? asked : initial;
  const [page, budget] = await Promise.all([
    listIdeas(getDb(), user, view, { sort, after: parseCursor(url.searchParams.get("after")) }),
    voteBudget(getDb(), user, view),
  ]);
  const at = now();
  const participate = decide(user, "community.participate", view);
  return {
    slug: community.slug,
    name: community.name,
    box: describeTimeBox(community),
    header: communityHeader(community),
    closedOn: formatDayInZone(community.ends_at, community.time_zone),
    sort,
    sorts,
    countsHidden: !can(user, "idea.see-votes", view),
    ideas: page.ideas.map((idea) => ({ ...idea, when: formatRelative(idea.createdAt, at) })),
    nextPage: page.next ? `?sort=${sort}&after=${formatCursor(page.next)}` : null,
    budget,
    canSubmit: participate.allowed,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  return act(async () => {
    // A new idea may carry images: the form is read with the upload handler's limits.
    const form = await readPostForm(request);
    // The schema names each intent: one it does not name is refused with the form's message.
    const input = parseForm(IdeasActionSchema, form.fields);
    if (input.intent === "submit") {
      // Before a new idea goes in, the member is offered the ones like it (without JavaScript too).
      if (!input.anyway) {
        const similar = await similarIdeas(getDb(), user, slug, input);
        if (similar.length) return data({ similar, draft: { title: input.title, body: input.body } });
      }
      const images = await imagesOfForm(getDb(), user, slug, form);
      const { ideaId } = await submitIdea(getDb(), user, slug, { ...input, images });
      return redirect(`/c/${slug}/t/${ideaId}`);
    }
    const vote = await castVote(getDb(), user, slug, input.ideaId, input.intent === "vote");
    // With JavaScript the button asked: answer with the outcome. A plain form goes back where it was.
    if (input.via === "js") return data(vote);
    return redirect(safeRedirect(input.returnTo, `/c/${slug}/ideas`));
  });
}

// A 429 says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Ideas · ${data.name} · Cohort` : "Cohort" }];

export default function IdeasPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  if ("similarOnly" in loaded) return null;
  const page = loaded;
  const offered = actionData && "similar" in actionData ? actionData : null;
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-4 py-10">
      <div>
        <CommunityHeader header={page.header} />
        <h1 className="mt-2 text-3xl font-bold tracking-tight">Ideas</h1>
      </div>
      <CommunityTabs slug={page.slug} current="ideas" />
      <PhaseBanner box={page.box} closedOn={page.closedOn} />
      {page.budget ? <VoteBudgetLine budget={page.budget} /> : null}
      {page.countsHidden ? (
        <p className="text-sm text-slate-600">Vote counts stay hidden until the community closes, so everyone votes for what they think, not for what is ahead.</p>
      ) : null}
      <ActionError data={actionData} />
      <nav aria-label="Order ideas by" className="flex flex-wrap gap-1 text-sm">
        {page.sorts.map((sort) => (
          <Link
            key={sort}
            to={`?sort=${sort}`}
            aria-current={sort === page.sort ? "page" : undefined}
            className={`rounded-full px-3 py-1 no-underline hover:no-underline ${sort === page.sort ? "bg-slate-900 text-white" : "bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"}`}
          >
            {SORT_LABEL[sort]}
          </Link>
        ))}
      </nav>
      {page.ideas.length === 0 ? (
        <p className="text-slate-600">No ideas yet.{page.canSubmit ? " Share the first one below." : ""}</p>
      ) : (
        <ol className="space-y-3">
          {page.ideas.map((idea) => (
            <li key={idea.id} className="flex gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <VoteButton slug={page.slug} ideaId={idea.id} title={idea.title} voted={idea.voted} votes={idea.votes} canVote={idea.canVote} returnTo={`${location.pathname}${location.search}`} />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <Link to={`/c/${page.slug}/t/${idea.id}`} className="font-semibold text-slate-900 wrap-anywhere">
                    {idea.title}
                  </Link>
                  {idea.status ? <StatusBadge status={idea.status} /> : null}
                </div>
                <p className="mt-1 text-xs text-slate-500">
                  <PersonLink id={idea.authorId} name={idea.author} /> · {idea.when} · {count(idea.replies, "comment")}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {page.nextPage ? <Link to={page.nextPage}>More ideas</Link> : null}
      {page.canSubmit ? <IdeaForm slug={page.slug} returnTo={`${location.pathname}${location.search}`} offered={offered} /> : null}
    </main>
  );
}

/**
 * Share an idea. While the member writes, the most similar ideas of the community are offered
 * ("Vote for one of these instead?"); without JavaScript the same list comes back when the
 * form is sent, with the draft kept and a button to post it anyway.
 */
function IdeaForm({ slug, returnTo, offered }: { slug: string; returnTo: string; offered: { similar: SimilarIdea[]; draft: { title: string; body: string } } | null }) {
  const fetcher = useFetcher<{ similar: SimilarIdea[] }>();
  const [title, setTitle] = useState(offered?.draft.title ?? "");
  const [body, setBody] = useState(offered?.draft.body ?? "");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const asked = useRef("");
  useEffect(() => {
    if (offered) {
      setTitle(offered.draft.title);
      setBody(offered.draft.body);
    }
  }, [offered]);
  useEffect(() => {
    const text = `${title} ${body}`.trim();
    if (text.length < 8) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = new URLSearchParams({ similar: "1", title, body: body.slice(0, 2000) }).toString();
      if (query === asked.current) return;
      asked.current = query;
      fetcher.load(`/c/${slug}/ideas?${query}`);
    }, 400);
    return () => clearTimeout(timer.current);
    // fetcher.load is stable enough; the draft is what matters.
  }, [title, body, slug]);
  const live = fetcher.data && "similar" in fetcher.data ? fetcher.data.similar : null;
  const similar = live ?? offered?.similar ?? [];
  return (
    <section aria-labelledby="share-heading" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="share-heading" className="font-semibold">
        Share an idea
      </h2>
      <Form method="post" id="idea-form" encType="multipart/form-data" className="space-y-4">
      <input type="hidden" name="intent" value="submit" />
      {/* The member has seen the similar ideas: sending now posts the idea. */}
      {similar.length ? <input type="hidden" name="anyway" value="1" /> : null}
      <div className="space-y-1">
        <label htmlFor="idea-title" className="block text-sm font-medium">
          Your idea in one line
        </label>
        <input id="idea-title" name="title" required minLength={3} maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600" />
      </div>
      <div className="space-y-1">
        <label htmlFor="idea-body" className="block text-sm font-medium">
          What problem would it solve for you?
        </label>
        <textarea id="idea-body" name="body" required rows={4} maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)} className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600" />
        <MentionSuggest slug={slug} textareaId="idea-body" />
      </div>
      <ImageFields slug={slug} idPrefix="idea" />
      </Form>
      {/* Outside the idea's form: each vote button is a form of its own. */}
      {similar.length ? (
        <section aria-labelledby="similar-heading" aria-live="polite" className="space-y-2 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
          <h3 id="similar-heading" className="text-sm font-semibold text-amber-950">
            Vote for one of these instead?
          </h3>
          <p className="text-xs text-amber-900">{similar.length === 1 ? "An idea like yours is already here." : "Ideas like yours are already here."} A vote for it counts more than a second copy.</p>
          <ul className="space-y-2">
            {similar.map((idea) => (
              <li key={idea.id} className="flex gap-3 rounded-md bg-white p-2 ring-1 ring-amber-100">
                <VoteButton slug={slug} ideaId={idea.id} title={idea.title} voted={idea.voted} votes={idea.votes} canVote={idea.canVote} returnTo={returnTo} />
                <div className="min-w-0 text-sm">
                  <Link to={`/c/${slug}/t/${idea.id}`} className="font-medium wrap-anywhere">
                    {idea.title}
                  </Link>
                  <p className="text-xs text-slate-600 wrap-anywhere">{idea.excerpt}</p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Button form="idea-form">{similar.length ? "Post my idea anyway" : "Share idea"}</Button>
    </section>
  );
}

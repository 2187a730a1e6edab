import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityHeader } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { postAnchor } from "#app/features/discussions/post-card.tsx";
import { answerFollowUp, readFollowUp } from "#app/features/follow-ups/follow-ups.server.ts";
import { formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const f = await orRespond(readFollowUp(getDb(), user, params.id ?? ""));
  const { community } = f.view;
  const zone = community.time_zone;
  return {
    id: f.id,
    header: communityHeader(community),
    communityName: community.name,
    threadLink: `/c/${community.slug}/t/${f.thread.id}`,
    postLink: `/c/${community.slug}/t/${f.thread.id}#${postAnchor({ kind: f.post?.kind ?? "thread", id: f.post?.id ?? "" })}`,
    threadTitle: f.thread.title,
    post: f.post ? { bodyHtml: f.post.bodyHtml, removedNotice: f.post.removedNotice, when: formatInZone(f.post.createdAt, zone) } : null,
    participant: f.participant,
    askedBy: f.askedBy,
    asked: formatInZone(f.askedAt, zone),
    questionHtml: f.questionHtml,
    answer: f.answer ? { ...f.answer, when: formatInZone(f.answer.createdAt, zone) } : null,
    yours: f.participant.id === user.id,
    canAnswer: f.canAnswer,
    answerRefusal: f.answerRefusal,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = params.id ?? "";
  // The use case asks the policy first, then validates: someone who may not answer learns nothing from the form.
  return act(async () => {
    const form = await request.formData();
    await answerFollowUp(getDb(), user, id, { body: form.get("body") });
    return redirect(`/follow-ups/${id}?answered=1`);
  });
}

export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Private follow-up · ${data.communityName} · Cohort` : "Cohort" }];

export default function FollowUpPage() {
  const f = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const answered = new URLSearchParams(useLocation().search).has("answered");
  const sending = navigation.state === "submitting";
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <CommunityHeader header={f.header} back={{ to: f.threadLink, label: `Back to “${f.threadTitle}”` }} />
      <div>
        <p className="text-sm font-semibold uppercase tracking-wide text-violet-700">Private follow-up</p>
        <h1 className="text-2xl font-bold tracking-tight">
          {f.yours ? "A question for you" : <>A question for <PersonLink id={f.participant.id} name={f.participant.name} /></>}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          Only {f.yours ? "you" : f.participant.name}, the staff and the community's discussion leaders can read this question and its answer; other participants do not see it.
        </p>
      </div>
      {answered ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          Thank you: your answer is sent. {f.askedBy.name} has been told.
        </p>
      ) : null}
      <ActionError data={actionData} />
      <section aria-labelledby="post-heading" className="rounded-lg bg-slate-50 p-5 ring-1 ring-slate-200">
        <h2 id="post-heading" className="text-sm font-medium text-slate-600">
          {f.yours ? "Your post" : `${f.participant.name}'s post`} in{" "}
          <Link to={f.postLink} className="underline">
            “{f.threadTitle}”
          </Link>
          {f.post ? ` · ${f.post.when}` : null}
        </h2>
        {f.post?.removedNotice ? <p className="mt-2 text-sm italic text-slate-500">{f.post.removedNotice}.</p> : null}
        {f.post?.bodyHtml ? <div className="prose-cohort mt-2" dangerouslySetInnerHTML={{ __html: f.post.bodyHtml }} /> : null}
      </section>
      <section aria-labelledby="question-heading" className="rounded-lg bg-violet-50 p-5 ring-1 ring-violet-200">
        <h2 id="question-heading" className="text-sm font-medium text-violet-900">
          {f.askedBy.name} asked on {f.asked}
        </h2>
        <div className="prose-cohort mt-2" data-question dangerouslySetInnerHTML={{ __html: f.questionHtml }} />
      </section>
      {f.answer ? (
        <section aria-labelledby="answer-heading" id={`reply-${f.answer.id}`} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 id="answer-heading" className="text-sm font-medium text-slate-600">
            {f.yours ? "Your answer" : `${f.participant.name}'s answer`} · {f.answer.when}
          </h2>
          {f.answer.removedNotice ? <p className="mt-2 text-sm italic text-slate-500">{f.answer.removedNotice}.</p> : null}
          {f.answer.bodyHtml ? <div className="prose-cohort mt-2" data-answer dangerouslySetInnerHTML={{ __html: f.answer.bodyHtml }} /> : null}
        </section>
      ) : f.canAnswer ? (
        <Form method="post" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <p className="inline-block rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">Needs your reply</p>
          <label htmlFor="answer-body" className="block text-sm font-medium">
            Your answer
          </label>
          <textarea
            id="answer-body"
            name="body"
            required
            rows={6}
            maxLength={20000}
            aria-describedby="answer-hint"
            className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
          />
          <p id="answer-hint" className="text-sm text-slate-500">
            Markdown works. Your answer stays private like the question, and is read as feedback by the product team.
          </p>
          <Button disabled={sending}>{sending ? "Sending…" : "Send my answer"}</Button>
        </Form>
      ) : (
        <p role="status" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          {f.answerRefusal ?? `Waiting for ${f.participant.name}'s answer.`}
        </p>
      )}
    </main>
  );
}

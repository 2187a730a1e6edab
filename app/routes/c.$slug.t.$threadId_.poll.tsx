import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityHeader } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { answerPoll, createPoll, editPoll, pollPage } from "#app/features/polls/polls.server.ts";
import { PollPanel } from "#app/features/polls/poll-panel.tsx";
import { parsePollAnswer, PollCreateSchema, type PollCreate } from "#app/features/polls/schemas.ts";
import { getDb } from "#app/lib/db.server.ts";
import { actOn, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond, Refusal } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const page = await orRespond(pollPage(getDb(), user, params.slug ?? "", params.threadId ?? ""));
  return {
    slug: page.view.community.slug,
    header: communityHeader(page.view.community),
    thread: page.thread,
    poll: page.poll,
    canCreate: page.canCreate,
  };
}

/**
 * intent=create adds the thread's poll (moderators, leaders), intent=edit changes it until its
 * first answer; intent=answer answers it or changes the answer. All return to the thread.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const threadId = params.threadId ?? "";
  const form = await request.formData();
  const back = () => redirect(`/c/${slug}/t/${threadId}#poll`);
  return actOn(form.get("intent"), {
    create: async () => {
      await createPoll(getDb(), user, slug, threadId, parseForm(PollCreateSchema, form));
      return back();
    },
    edit: async () => {
      await editPoll(getDb(), user, slug, threadId, parseForm(PollCreateSchema, form));
      return back();
    },
    answer: async () => {
      const answer = parsePollAnswer(form);
      if ("error" in answer) throw new Refusal(400, answer.error);
      await answerPoll(getDb(), user, slug, threadId, answer);
      return back();
    },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Poll · ${data.thread.title} · Cohort` : "Poll · Cohort" }];

export default function PollPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const threadLink = `/c/${page.slug}/t/${page.thread.id}`;
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <CommunityHeader header={page.header} back={{ to: threadLink, label: page.thread.title }} />
      {page.poll ? (
        <>
          <PollPanel poll={page.poll} slug={page.slug} threadId={page.thread.id} error={actionData} />
          {page.poll.canEdit ? (
            <PollForm
              intent="edit"
              title="Change the poll"
              intro="Until someone answers, you can change the question, the options and the switches. After the first answer the poll stays as members answered it."
              threadLink={threadLink}
              busy={busy}
              error={actionData}
              defaults={{
                question: page.poll.question,
                options: page.poll.options.map((o) => o.label),
                choice: page.poll.ranked ? "ranked" : page.poll.multiple ? "multiple" : "single",
                allowOther: page.poll.allowOther,
                results: page.poll.results,
              }}
            />
          ) : null}
        </>
      ) : (
        <PollForm
          intent="create"
          title="Add a poll"
          intro={`It appears under the opening post of “${page.thread.title}”. Members answer once and can change their answer while the community is open.`}
          threadLink={threadLink}
          busy={busy}
          error={actionData}
        />
      )}
    </main>
  );
}

const NEW_POLL: PollCreate = { question: "", options: [], choice: "single", allowOther: false, results: "after-answering" };

/** The poll's fields: empty to add one, filled in to change it before its first answer. */
function PollForm({
  intent,
  title,
  intro,
  threadLink,
  busy,
  error,
  defaults = NEW_POLL,
}: {
  intent: "create" | "edit";
  title: string;
  intro: string;
  threadLink: string;
  busy: boolean;
  error: unknown;
  defaults?: PollCreate;
}) {
  const adding = intent === "create";
  const Heading = adding ? "h1" : "h2";
  return (
    <Form method="post" id={adding ? undefined : "change-poll"} className="space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <input type="hidden" name="intent" value={intent} />
      <div>
        <Heading className="text-2xl font-bold tracking-tight">{title}</Heading>
        <p className="mt-1 text-slate-600">{intro}</p>
      </div>
      {adding ? <ActionError data={error} /> : null}
      <div className="space-y-1">
        <label htmlFor={`${intent}-poll-question`} className="block text-sm font-medium">
          Question
        </label>
        <input
          id={`${intent}-poll-question`}
          name="question"
          required
          minLength={3}
          maxLength={300}
          defaultValue={defaults.question}
          className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${intent}-poll-options`} className="block text-sm font-medium">
          Options
        </label>
        <textarea
          id={`${intent}-poll-options`}
          name="options"
          required
          rows={5}
          maxLength={5000}
          defaultValue={defaults.options.join("\n")}
          aria-describedby={`${intent}-poll-options-hint`}
          className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300"
        />
        <p id={`${intent}-poll-options-hint`} className="text-sm text-slate-500">
          One per line, 2 to 10.
        </p>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Members</legend>
        <Choice name="choice" value="single" defaultChecked={defaults.choice === "single"} label="choose one option" />
        <Choice name="choice" value="multiple" defaultChecked={defaults.choice === "multiple"} label="choose any number of options" />
        <Choice name="choice" value="ranked" defaultChecked={defaults.choice === "ranked"} label="put the options they choose in order (1st, 2nd…)" />
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="allowOther" defaultChecked={defaults.allowOther} className="mt-1 h-4 w-4" />
          <span>may answer “Other” in their own words</span>
        </label>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Participants see the results</legend>
        <Choice name="results" value="after-answering" defaultChecked={defaults.results === "after-answering"} label="once they have answered (masked, so the first answers do not sway the rest)" />
        <Choice name="results" value="after-close" defaultChecked={defaults.results === "after-close"} label="only after the community closes" />
        <Choice name="results" value="always" defaultChecked={defaults.results === "always"} label="at any time" />
        <p className="text-sm text-slate-500">Staff and the community's moderators always see them, split by segment.</p>
      </fieldset>
      <div className="flex gap-3">
        <Button disabled={busy}>{busy ? (adding ? "Adding…" : "Saving…") : adding ? "Add the poll" : "Save the changes"}</Button>
        <Link to={threadLink} className="self-center text-sm">
          Cancel
        </Link>
      </div>
    </Form>
  );
}

function Choice({ name, value, label, defaultChecked }: { name: string; value: string; label: string; defaultChecked?: boolean }) {
  return (
    <label className="flex items-start gap-3 text-sm">
      <input type="radio" name={name} value={value} defaultChecked={defaultChecked} className="mt-1 h-4 w-4" />
      <span>{label}</span>
    </label>
  );
}

import { EvidenceImage } from "#app/features/attachments/images.tsx";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { listStaff } from "#app/features/auth/accounts.server.ts";
import { StatusBadge } from "#app/features/ideas/status.tsx";
import { STATUS_LABEL, SUGGESTION_STATUSES } from "#app/features/suggestions/statuses.ts";
import { SuggestionActionSchema } from "#app/features/suggestions/schemas.ts";
import { answerSuggestion, getSuggestion, saveSuggestion, updateSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { deliverNow } from "#app/features/email/outbox.server.ts";
import { listTags } from "#app/features/triage/tags.server.ts";
import { TagChip } from "#app/features/triage/tags.tsx";
import { siteOrigin } from "#app/lib/origin.server.ts";
import { formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";
import { count } from "#app/lib/plural.ts";
import { PersonLink } from "#app/ui/person-link.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.view");
  const db = getDb();
  const [page, tags, owners] = await Promise.all([
    orRespond(getSuggestion(db, user, params.id ?? "")),
    listTags(db, user),
    listStaff(db),
  ]);
  const zone = "UTC";
  return {
    ...page,
    suggestion: { ...page.suggestion, answeredOn: page.suggestion.answered_at ? formatInZone(page.suggestion.answered_at, zone) : null },
    evidence: page.evidence.map((e) => ({ ...e, when: formatInZone(e.at, zone) })),
    allTags: tags.map(({ id, name, color }) => ({ id, name, color })),
    owners,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.edit");
  const id = params.id ?? "";
  const db = getDb();
  return act(async () => {
    const form = await request.formData();
    const input = parseForm(SuggestionActionSchema, { ...Object.fromEntries(form), tag: form.getAll("tag").map(String) });
    if (input.intent === "save") {
      const details = { title: input.title, problem: input.problem, tagIds: input.tag, ownerId: input.owner, staffNotes: input.notes };
      const { notified, emailIds } = await saveSuggestion(db, user, id, { details, answer: input }, { siteOrigin: siteOrigin(request) });
      if (emailIds.length) await deliverNow(db, emailIds);
      return redirect(`/suggestions/${id}?saved=all&notified=${notified}`);
    }
    if (input.intent === "details") {
      await updateSuggestion(db, user, id, { title: input.title, problem: input.problem, tagIds: input.tag, ownerId: input.owner, staffNotes: input.notes });
      return redirect(`/suggestions/${id}?saved=details`);
    }
    const { notified, emailIds } = await answerSuggestion(db, user, id, input, { siteOrigin: siteOrigin(request) });
    // After the commit: the email goes out now if SMTP is configured; it waits in the outbox otherwise.
    if (emailIds.length) await deliverNow(db, emailIds);
    return redirect(`/suggestions/${id}?saved=answer&notified=${notified}`);
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.suggestion.title} · Suggestions · Cohort` : "Cohort" }];

export default function SuggestionPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { suggestion } = page;
  const [status, setStatus] = useState(suggestion.status);
  const [params] = useSearchParams();
  const notified = params.get("notified");
  return (
    <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
      <Link to="/suggestions" className="text-sm">
        ← All suggestions
      </Link>
      <div className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={suggestion.status} />
          {page.tags.map((t) => (
            <TagChip key={t.id} tag={t} />
          ))}
        </div>
        <h1 className="text-2xl font-bold tracking-tight">{suggestion.title}</h1>
        <p className="text-sm text-slate-600">Owner: {suggestion.owner ?? "nobody yet"}</p>
      </div>
      {notified ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-2 text-sm text-green-900">
          Saved{params.get("saved") === "all" ? ` status “${STATUS_LABEL[suggestion.status]}” and owner “${suggestion.owner ?? "nobody yet"}”` : ""}.{" "}
          {notified === "0" ? "Nobody needed telling." : `${count(Number(notified), "contributor")} told in the app and by email.`}
        </p>
      ) : params.get("saved") === "details" ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-2 text-sm text-green-900">
          Details saved.
        </p>
      ) : null}
      <ActionError data={actionData} />

      <section aria-labelledby="strength-heading" className="grid gap-3 sm:grid-cols-4">
        <h2 id="strength-heading" className="sr-only">
          Strength
        </h2>
        {[
          ["Members", page.strength.members],
          ["Linked votes", page.strength.votes],
          ["Communities", page.strength.communities],
          ["Quotes", page.strength.quotes],
        ].map(([label, value]) => (
          <div key={label} role="group" aria-label={String(label)} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
            <p className="text-2xl font-bold tabular-nums">{value}</p>
          </div>
        ))}
      </section>

      {page.bySegment.length ? (
        <section aria-labelledby="segments-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 id="segments-heading" className="font-semibold">
            By segment
          </h2>
          <table className="mt-2 text-sm">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="pr-6 font-medium">Segment</th>
                <th className="pr-6 font-medium">Members</th>
                <th className="font-medium">Votes</th>
              </tr>
            </thead>
            <tbody>
              {page.bySegment.map((row) => (
                <tr key={row.segment}>
                  <td className="pr-6">{row.segment}</td>
                  <td className="pr-6 tabular-nums">{row.members}</td>
                  <td className="tabular-nums">{row.votes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section aria-labelledby="problem-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 id="problem-heading" className="font-semibold">
          Problem
        </h2>
        {/* Rendered from Markdown with raw HTML disabled when it was written. */}
        <div className="prose-cohort mt-2" dangerouslySetInnerHTML={{ __html: suggestion.problem_html }} />
      </section>

      <section aria-labelledby="evidence-heading" className="space-y-3">
        <h2 id="evidence-heading" className="text-lg font-semibold">
          Evidence ({page.evidence.length})
        </h2>
        {page.evidence.length === 0 ? <p className="text-sm text-slate-600">No linked feedback yet. Link some from the triage inbox.</p> : null}
        <ul className="space-y-2">
          {page.evidence.map((e) => (
            <li key={e.id} className="rounded-lg border-l-4 border-brand-400 bg-white p-4 shadow-sm ring-1 ring-slate-200">
              {/* Rendered from Markdown with raw HTML disabled. */}
              <blockquote data-evidence className="prose-cohort text-slate-800" dangerouslySetInnerHTML={{ __html: e.quoteHtml }} />
              <EvidenceImage image={e.image} />
              <p className="mt-2 text-xs text-slate-500">
                <PersonLink id={e.authorId} name={e.author} /> · {e.community} · {e.when} ·{" "}
                <Link to={e.link} aria-label={`Source: ${e.threadTitle}, by ${e.author}`}>
                  {e.threadTitle}
                </Link>
              </p>
            </li>
          ))}
        </ul>
        {page.ideas.length ? (
          <p className="text-sm text-slate-700">
            Linked ideas:{" "}
            {page.ideas.map((idea, i) => (
              <span key={idea.id}>
                {i ? ", " : ""}
                <Link to={`/c/${idea.slug}/t/${idea.id}`}>{idea.title}</Link> ({count(idea.vote_count, "vote")}, {idea.community})
              </span>
            ))}
          </p>
        ) : null}
      </section>

      {/* One form: status, answer, owner, tags and notes are saved together, so no choice is dropped. */}
      <Form method="post" aria-label="Edit suggestion" className="space-y-4">
      <input type="hidden" name="intent" value="save" />
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold">Status and public answer</h2>
          <p className="text-sm text-slate-600">Contributors see the answer on their ideas and hear of it in the app and by email.</p>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Status</span>
            <select name="status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)} className="block rounded-md border-0 py-1.5 pl-2 pr-8 ring-1 ring-inset ring-slate-300">
              {SUGGESTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Public answer {status === "declined" ? "(the reason: required)" : ""}</span>
            <textarea name="answer" rows={4} defaultValue={suggestion.public_answer ?? ""} required={status === "declined"} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </label>
          {status === "declined" || suggestion.status === "declined" ? (
            <fieldset className="space-y-2 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
              <legend className="sr-only">Alternative</legend>
              <label className="block space-y-1 text-sm">
                <span className="font-medium">What can contributors do instead?</span>
                <input name="alternative" defaultValue={suggestion.alternative ?? ""} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="withoutAlternative" /> Decline without an alternative
              </label>
            </fieldset>
          ) : null}
          {suggestion.answeredOn ? <p className="text-xs text-slate-500">Last answered {suggestion.answeredOn}</p> : null}
        </div>

        <div className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold">Details (staff only)</h2>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Title</span>
            <input name="title" defaultValue={suggestion.title} required minLength={3} maxLength={200} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </label>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Problem statement</span>
            <textarea name="problem" rows={3} defaultValue={suggestion.problem_markdown} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </label>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Owner</span>
            <select name="owner" defaultValue={suggestion.owner_id ?? ""} className="block rounded-md border-0 py-1.5 pl-2 pr-8 ring-1 ring-inset ring-slate-300">
              <option value="">Nobody yet</option>
              {page.owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.display_name}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="space-y-1 text-sm">
            <legend className="font-medium">Tags</legend>
            <div className="flex flex-wrap gap-3">
              {page.allTags.map((t) => (
                <label key={t.id} className="flex items-center gap-1">
                  <input type="checkbox" name="tag" value={t.id} defaultChecked={page.tags.some((x) => x.id === t.id)} /> <TagChip tag={t} />
                </label>
              ))}
            </div>
          </fieldset>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Internal notes</span>
            <textarea name="notes" rows={3} defaultValue={suggestion.staff_notes ?? ""} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </label>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button disabled={navigation.state === "submitting"}>Save suggestion</Button>
        <span className="text-sm text-slate-600">Saves the status, answer, owner, tags and notes together.</span>
      </div>
      </Form>
    </main>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { suggestionTitles } from "#app/features/suggestions/suggestions.server.ts";
import { listTags } from "#app/features/triage/tags.server.ts";
import { dismissItem, listInbox, triageItem } from "#app/features/triage/triage.server.ts";
import { mergeIdea } from "#app/features/ideas/ideas.server.ts";
import { TriageActionSchema, triageFilters } from "#app/features/triage/schemas.ts";
import { TagChip } from "#app/features/triage/tags.tsx";
import { PASSAGE_PICKER_TOGGLE, PassagePicker } from "#app/features/triage/passage-picker.tsx";
import { undoAction } from "#app/features/triage/undo.server.ts";
import { undoableEntry } from "#app/features/audit/audit.server.ts";
import { listCommunityChoices, listSegments } from "#app/features/communities/communities.server.ts";
import { now } from "#app/lib/clock.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";
import { FilterSelect } from "#app/ui/filter-select.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";
import { EvidenceImage, PostImages, imageUrl } from "#app/features/attachments/images.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "triage.work");
  const url = new URL(request.url);
  const filters = triageFilters(url.searchParams);
  const db = getDb();
  const done = url.searchParams.get("done");
  const [items, tags, titles, communities, segments, doneEntry] = await Promise.all([
    orRespond(listInbox(db, user, filters)),
    listTags(db, user),
    suggestionTitles(db, user),
    listCommunityChoices(db),
    listSegments(db),
    done ? undoableEntry(db, user.id, done) : undefined,
  ]);
  const at = now();
  return {
    filters,
    items: items.map((item) => ({ ...item, when: formatRelative(item.createdAt, at) })),
    tags: tags.map(({ id, name, color }) => ({ id, name, color })),
    titles,
    communities,
    segments,
    done: doneEntry ?? null,
    merged: url.searchParams.has("merged"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "triage.work");
  const url = new URL(request.url);
  url.searchParams.delete("done");
  url.searchParams.delete("item");
  const back = (auditId?: string, merged?: boolean) => {
    if (auditId) url.searchParams.set("done", auditId);
    url.searchParams.delete("merged");
    if (merged) url.searchParams.set("merged", "1");
    return redirect(`/triage?${url.searchParams.toString()}`);
  };
  const db = getDb();
  return act(async () => {
    // The schema names each intent: one it does not name is refused with the form's message.
    const input = parseForm(TriageActionSchema, await request.formData());
    switch (input.intent) {
      case "triage": {
        const item = { kind: input.kind, id: input.id };
        const { auditId } = await triageItem(db, user, item, { quote: input.quote, tags: (input.tags ?? "").split(","), suggestion: input.suggestion, image: input.image });
        return back(auditId);
      }
      case "dismiss":
        return back((await dismissItem(db, user, { kind: input.kind, id: input.id }, input.reason)).auditId);
      case "undo":
        await undoAction(db, user, input.auditId);
        return back();
      case "merge":
        await mergeIdea(db, user, input.community, input.from, input.into);
        return back(undefined, true);
    }
  });
}

export const meta: MetaFunction = () => [{ title: "Triage · Cohort" }];

const SHORTCUTS: [string, string][] = [
  ["j / ↓", "next item"],
  ["k / ↑", "previous item"],
  ["h", "keep the selected text as the highlight (else the whole post)"],
  ["s", "select passage: choose the post's sentences with the keyboard"],
  ["t", "tag: type tag names, comma-separated, then Enter"],
  ["l", "link: type a suggestion's title (or a new one), then Enter"],
  ["d", "dismiss: type the reason, then Enter"],
  ["u", "undo the last action"],
  ["?", "show or hide this help"],
  ["Esc", "leave a field"],
];

export default function TriagePage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [selected, setSelected] = useState(0);
  const [help, setHelp] = useState(false);
  const [passage, setPassage] = useState("");
  const listRef = useRef<HTMLOListElement>(null);
  const undoRef = useRef<HTMLFormElement>(null);
  const item = page.items[Math.min(selected, Math.max(0, page.items.length - 1))];
  const query = new URLSearchParams(Object.entries(page.filters).filter(([, v]) => v !== undefined) as [string, string][]).toString();

  // After a save the item leaves the list: the same position is now the next item.
  useEffect(() => setSelected((index) => Math.min(index, Math.max(0, page.items.length - 1))), [page.items]);
  useEffect(() => setPassage(""), [item?.id]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const focus = (id: string) => {
    const field = document.getElementById(id) as HTMLInputElement | null;
    field?.focus();
    field?.select();
  };
  const onKey = useCallback(
    (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === "Escape") {
        if (target.matches("input, textarea, select")) target.blur();
        setHelp(false);
        return;
      }
      if (target.matches("input, textarea, select, [contenteditable]") || event.metaKey || event.ctrlKey || event.altKey) return;
      const act: Record<string, () => void> = {
        j: () => setSelected((i) => Math.min(i + 1, page.items.length - 1)),
        ArrowDown: () => setSelected((i) => Math.min(i + 1, page.items.length - 1)),
        k: () => setSelected((i) => Math.max(i - 1, 0)),
        ArrowUp: () => setSelected((i) => Math.max(i - 1, 0)),
        t: () => focus("triage-tags"),
        l: () => focus("triage-suggestion"),
        d: () => focus("triage-dismiss"),
        h: () => {
          const text = window.getSelection()?.toString().trim() ?? "";
          setPassage(text);
        },
        s: () => document.getElementById(PASSAGE_PICKER_TOGGLE)?.click(),
        u: () => undoRef.current?.requestSubmit(),
        "?": () => setHelp((open) => !open),
      };
      const run = act[event.key];
      if (run) {
        event.preventDefault();
        run();
      }
    },
    [page.items.length],
  );
  useEffect(() => {
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onKey]);

  const busy = navigation.state !== "idle";
  return (
    <main id="main" className="mx-auto max-w-6xl space-y-5 px-4 py-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Triage</h1>
          <p className="text-sm text-slate-600">
            Feedback ordered by passion score. Highlight what matters, tag it, link it to a suggestion, or dismiss it.{" "}
            <button type="button" onClick={() => setHelp(true)} className="font-medium text-brand-700 underline">
              Keyboard shortcuts (?)
            </button>
          </p>
        </div>
        <div className="flex gap-2 text-sm">
          <Link to="/suggestions">Suggestions</Link> · <Link to="/tags">Tags</Link> · <Link to="/audit">Audit log</Link>
        </div>
      </div>

      <Form method="get" key={query} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200">
        <FilterSelect label="Community" name="community" value={page.filters.community} options={page.communities.map((c) => [c.slug, c.name])} all="All communities" />
        <FilterSelect
          label="State"
          name="state"
          value={page.filters.state}
          options={[
            ["untriaged", "Not triaged"],
            ["triaged", "Triaged"],
            ["dismissed", "Dismissed"],
          ]}
        />
        <FilterSelect label="Tag" name="tag" value={page.filters.tag} options={page.tags.map((t) => [t.id, t.name])} all="Any tag" />
        <FilterSelect label="Segment" name="segment" value={page.filters.segment} options={page.segments.map((s) => [s, s])} all="Any segment" />
        <Button variant="secondary" className="py-1.5">
          Filter
        </Button>
      </Form>

      {page.done ? (
        <div role="status" className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-green-200 bg-green-50 px-4 py-2 text-sm text-green-900">
          <span>Done: {page.done.summary}</span>
          <Form method="post" action={`/triage?${query}`} ref={undoRef}>
            <input type="hidden" name="intent" value="undo" />
            <input type="hidden" name="auditId" value={page.done.id} />
            <Button variant="secondary" className="px-3 py-1">
              Undo (u)
            </Button>
          </Form>
        </div>
      ) : null}
      {page.merged ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-2 text-sm text-green-900">
          Merged: the duplicate’s votes now count for the idea it was merged into, and its discussion is locked.
        </p>
      ) : null}
      <ActionError data={actionData} />

      {page.items.length === 0 ? (
        <p role="status" className="rounded-lg bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200">
          Nothing here{page.filters.state === "untriaged" ? ": every piece of feedback in this view is triaged" : ""}.
        </p>
      ) : (
        <div className="grid gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <ol ref={listRef} aria-label="Feedback" className="max-h-[75vh] space-y-2 overflow-y-auto pr-1">
            {page.items.map((entry, index) => (
              <li key={`${entry.kind}:${entry.id}`} data-index={index}>
                <button
                  type="button"
                  onClick={() => setSelected(index)}
                  aria-current={index === selected ? "true" : undefined}
                  className={`block w-full rounded-lg p-3 text-left text-sm ring-1 ${index === selected ? "bg-brand-50 ring-2 ring-brand-500" : "bg-white ring-slate-200 hover:bg-slate-50"}`}
                >
                  <span className="flex items-center justify-between gap-2">
                    <span className="truncate font-medium text-slate-900">{entry.thread.title}</span>
                    {entry.duplicates.length ? (
                      <span className="shrink-0 rounded bg-amber-100 px-1.5 text-xs text-amber-900" title="Likely duplicates grouped under it">
                        +{entry.duplicates.length} alike
                      </span>
                    ) : null}
                    <span className="shrink-0 rounded bg-slate-900 px-1.5 text-xs font-bold text-white" title="Passion score">
                      {entry.score}
                    </span>
                  </span>
                  <span className="mt-0.5 block text-xs text-slate-600">
                    {entry.author} · {entry.kind === "reply" ? "reply" : entry.thread.kind === "idea" ? "idea" : "thread"} · {entry.community.name} · {entry.when}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {item ? (
            <article aria-label={`Item by ${item.author}`} className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <div>
                <p className="text-xs text-slate-500">
                  {item.community.name} ›{" "}
                  <Link to={`/c/${item.community.slug}/t/${item.thread.id}`} target="_blank" rel="noreferrer">
                    {item.thread.title}
                  </Link>
                </p>
                <p className="mt-1 text-sm">
                  <PersonLink id={item.authorId} name={item.author} className="font-semibold" />
                  {item.segment ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">{item.segment}</span> : null}
                  <span className="text-slate-500"> · {item.when}</span>
                </p>
              </div>
              {/* Rendered from Markdown with raw HTML disabled when it was written. */}
              <div id="triage-item-body" data-item-body className="prose-cohort max-h-72 overflow-y-auto rounded-md bg-slate-50 p-3" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
              <PostImages images={item.images} author={item.author} />
              <div className="text-xs" aria-label={`Passion score ${item.score}`}>
                <p className="flex flex-wrap items-center gap-1.5">
                  <span className="rounded bg-slate-900 px-1.5 py-0.5 font-bold text-white">Score {item.score}</span>
                  <span className="text-slate-500">why:</span>
                </p>
                <ul data-passion-parts className="mt-1.5 flex flex-wrap gap-1.5">
                  {item.parts
                    .filter((part) => part.points !== 0 || part.key === "feeling" || part.key === "details" || part.key === "need")
                    .map((part) => (
                      <li key={part.key} className={`rounded px-1.5 py-0.5 ${part.points < 0 ? "bg-amber-100 text-amber-900" : part.points > 0 ? "bg-slate-100 text-slate-800" : "bg-white text-slate-500 ring-1 ring-slate-200"}`}>
                        {part.points > 0 ? "+" : ""}
                        {part.points} {part.label}
                      </li>
                    ))}
                </ul>
              </div>
              {item.duplicates.length ? (
                <section aria-labelledby="duplicates-heading" className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
                  <h3 id="duplicates-heading" className="font-medium text-amber-950">
                    Likely duplicates ({item.duplicates.length}), grouped under this {item.thread.kind === "idea" ? "idea" : "thread"}
                  </h3>
                  <ul className="mt-2 space-y-2">
                    {item.duplicates.map((dup) => (
                      <li key={dup.id} className="flex flex-wrap items-center justify-between gap-2">
                        <span>
                          <Link to={`/c/${item.community.slug}/t/${dup.id}`} target="_blank" rel="noreferrer">
                            {dup.title}
                          </Link>{" "}
                          <span className="text-xs text-slate-600">
                            by {dup.author} · score {dup.score}
                          </span>
                        </span>
                        {dup.isIdea && item.kind === "thread" && item.thread.kind === "idea" ? (
                          <Form method="post" action={`/triage?${query}`}>
                            <input type="hidden" name="intent" value="merge" />
                            <input type="hidden" name="community" value={item.community.slug} />
                            <input type="hidden" name="from" value={dup.id} />
                            <input type="hidden" name="into" value={item.id} />
                            <Button variant="secondary" className="px-2 py-1 text-xs" disabled={busy} aria-label={`Merge “${dup.title}” into “${item.thread.title}”`}>
                              Merge into this idea
                            </Button>
                          </Form>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                  <p className="mt-2 text-xs text-amber-900">Merging moves the duplicate’s votes here (a member who voted for both keeps one) and locks its discussion, which stays readable.</p>
                </section>
              ) : null}
              {item.highlights.length ? (
                <ul className="space-y-2 text-sm">
                  {item.highlights.map((h) => (
                    <li key={h.id} className="rounded-md border-l-4 border-brand-400 bg-brand-50 px-3 py-2">
                      <q>{h.excerpt}</q>
                      {h.imageId ? <EvidenceImage image={item.images.find((i) => i.id === h.imageId)} /> : null}
                      <span className="mt-1 flex flex-wrap items-center gap-1">
                        {h.tags.map((tag) => (
                          <TagChip key={tag.name} tag={tag} />
                        ))}
                        {h.suggestion ? <Link to={`/suggestions/${h.suggestion.id}`}>→ {h.suggestion.title}</Link> : null}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {item.state === "dismissed" ? <p className="text-sm text-slate-600">Dismissed: {item.reason}</p> : null}

              <Form method="post" action={`/triage?${query}`} key={`triage-${item.id}`} className="space-y-3 border-t border-slate-100 pt-4">
                <input type="hidden" name="intent" value="triage" />
                <input type="hidden" name="kind" value={item.kind} />
                <input type="hidden" name="id" value={item.id} />
                <div className="space-y-1">
                  <label htmlFor="triage-quote" className="block text-sm font-medium">
                    Highlight <span className="font-normal text-slate-500">(select text in the post and press h, or choose its sentences with Select passage; empty keeps the whole post)</span>
                  </label>
                  <textarea id="triage-quote" name="quote" rows={2} value={passage} onChange={(e) => setPassage(e.target.value)} className="block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300" />
                  <PassagePicker key={item.id} bodyId="triage-item-body" onChoose={setPassage} />
                </div>
                {item.images.length ? (
                  <fieldset className="space-y-1">
                    <legend className="text-sm font-medium">Keep an image as evidence too</legend>
                    <div className="flex flex-wrap gap-3 text-sm">
                      <label className="flex items-center gap-1">
                        <input type="radio" name="image" value="" defaultChecked /> No image
                      </label>
                      {item.images.map((image, index) => (
                        <label key={image.id} className="flex items-center gap-2">
                          <input type="radio" name="image" value={image.id} />
                          <img src={imageUrl(image.id, "thumb")} alt="" width={image.thumbWidth} height={image.thumbHeight} className="h-12 w-auto rounded ring-1 ring-slate-200" />
                          <span>{image.alt || `Image ${index + 1}`}</span>
                        </label>
                      ))}
                    </div>
                  </fieldset>
                ) : null}
                <div className="grid gap-3 sm:grid-cols-2">
                  <div className="space-y-1">
                    <label htmlFor="triage-tags" className="block text-sm font-medium">
                      Tags (t) <span className="font-normal text-slate-500">comma-separated; new names create tags</span>
                    </label>
                    <input id="triage-tags" name="tags" list="tag-names" autoComplete="off" className="block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300" />
                    <datalist id="tag-names">
                      {page.tags.map((t) => (
                        <option key={t.id} value={t.name} />
                      ))}
                    </datalist>
                  </div>
                  <div className="space-y-1">
                    <label htmlFor="triage-suggestion" className="block text-sm font-medium">
                      Link to suggestion (l) <span className="font-normal text-slate-500">an existing title, or a new one</span>
                    </label>
                    <input id="triage-suggestion" name="suggestion" list="suggestion-titles" autoComplete="off" className="block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300" />
                    <datalist id="suggestion-titles">
                      {page.titles.map((title) => (
                        <option key={title} value={title} />
                      ))}
                    </datalist>
                  </div>
                </div>
                <Button disabled={busy}>Save highlight</Button>
              </Form>
              {item.state === "untriaged" ? (
                <Form method="post" action={`/triage?${query}`} key={`dismiss-${item.id}`} className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-4">
                  <input type="hidden" name="intent" value="dismiss" />
                  <input type="hidden" name="kind" value={item.kind} />
                  <input type="hidden" name="id" value={item.id} />
                  <div className="min-w-60 flex-1 space-y-1">
                    <label htmlFor="triage-dismiss" className="block text-sm font-medium">
                      Dismiss (d): why?
                    </label>
                    <input id="triage-dismiss" name="reason" required maxLength={300} className="block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300" />
                  </div>
                  <Button variant="secondary" disabled={busy}>
                    Dismiss
                  </Button>
                </Form>
              ) : null}
            </article>
          ) : null}
        </div>
      )}

      {help ? (
        <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading" className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40 p-4" onClick={() => setHelp(false)}>
          <div className="w-full max-w-md rounded-lg bg-white p-6 shadow-xl" onClick={(e) => e.stopPropagation()}>
            <h2 id="shortcuts-heading" className="text-lg font-semibold">
              Keyboard shortcuts
            </h2>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              {SHORTCUTS.map(([key, what]) => (
                <div key={key} className="contents">
                  <dt>
                    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{key}</kbd>
                  </dt>
                  <dd className="text-slate-700">{what}</dd>
                </div>
              ))}
            </dl>
            <Button variant="secondary" className="mt-4" onClick={() => setHelp(false)} type="button" autoFocus>
              Close
            </Button>
          </div>
        </div>
      ) : null}
    </main>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { TagSchema } from "#app/features/triage/schemas.ts";
import { createTag, listTags, mergeTags, updateTag } from "#app/features/triage/tags.server.ts";
import { importCodebook } from "#app/features/research/refi-qda.server.ts";
import { TAG_COLORS, TAG_PALETTE, TagChip } from "#app/features/triage/tags.tsx";
import { getDb } from "#app/lib/db.server.ts";
import { count } from "#app/lib/plural.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "triage.work");
  return { tags: (await listTags(getDb(), user)).map((t) => ({ ...t, highlights: Number(t.highlights ?? 0), suggestions: Number(t.suggestions ?? 0) })) };
}

const TagActionSchema = z.discriminatedUnion("intent", [
  TagSchema.extend({ intent: z.literal("create") }),
  TagSchema.extend({ intent: z.literal("update"), id: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("merge"), id: z.string().min(1).max(64), into: z.string({ error: "Choose the tag to merge into" }).min(1, "Choose the tag to merge into").max(64) }),
]);

/** A codebook is small: some thousand codes fit in well under this. */
const CODEBOOK_LIMIT = 512 * 1024;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "triage.work");
  const db = getDb();
  return act(async () => {
    const form = await request.formData();
    if (form.get("intent") === "import") {
      const file = form.get("codebook");
      if (!(file instanceof File) || file.size === 0) throw new Refusal(400, "Choose a codebook file (.qdc) to import.");
      if (file.size > CODEBOOK_LIMIT) throw new Refusal(400, "That file is too large for a codebook (at most 512 KB).");
      const { created, existing } = await importCodebook(db, user, await file.text());
      return redirect(`/tags?imported=${created.length}&kept=${existing.length}`);
    }
    // The schema names the other intents: one it does not name is refused.
    const input = parseForm(TagActionSchema, form);
    if (input.intent === "create") await createTag(db, user, input);
    else if (input.intent === "update") await updateTag(db, user, input.id, input);
    else await mergeTags(db, user, input.id, input.into);
    return redirect("/tags");
  });
}

export const meta: MetaFunction = () => [{ title: "Tags · Cohort" }];

const field = "rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-slate-300";

function ColorSelect({ value }: { value?: string }) {
  return (
    <select name="color" defaultValue={value ?? "blue"} aria-label="Colour" className={field}>
      {TAG_COLORS.map((c) => (
        <option key={c} value={c}>
          {TAG_PALETTE[c].name}
        </option>
      ))}
    </select>
  );
}

export default function TagsPage() {
  const { tags } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const imported = params.get("imported");
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-4 py-8">
      <Link to="/triage" className="text-sm">
        ← Triage
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Tags</h1>
      <p className="text-sm text-slate-600">One managed list for triage and suggestions. Rename a tag everywhere, or merge a duplicate into another; every change can be undone from the audit log.</p>
      {imported !== null ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-2 text-sm text-green-900">
          Codebook imported: {count(Number(imported), "new tag")}
          {Number(params.get("kept") ?? 0) ? `; ${count(Number(params.get("kept")), "code")} already in the list, kept as they were` : ""}.
        </p>
      ) : null}
      <ActionError data={actionData} />
      <section aria-labelledby="codebook-heading" className="flex flex-wrap items-end justify-between gap-3 rounded-lg bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200">
        <div className="space-y-1">
          <h2 id="codebook-heading" className="font-semibold">
            Codebook (REFI-QDA)
          </h2>
          <p className="text-slate-600">Take the tags to NVivo, ATLAS.ti, MAXQDA or QualCoder as a codebook, or start from one a team used before.</p>
          <a href="/tags.qdc" download>
            Export the tags as a codebook (.qdc)
          </a>
        </div>
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="import" />
          <label className="space-y-1">
            <span className="block font-medium">Import a codebook</span>
            <input type="file" name="codebook" accept=".qdc,.qde,.xml,application/xml,text/xml" required className="block max-w-64 text-sm" />
          </label>
          <Button variant="secondary">Import codes as tags</Button>
        </Form>
      </section>
      <ul className="space-y-3">
        {tags.map((tag) => (
          <li key={tag.id} className="space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <div className="flex items-center justify-between gap-2">
              <TagChip tag={tag} />
              <span className="text-xs text-slate-500">
                {count(tag.highlights, "highlight")} · {count(tag.suggestions, "suggestion")}
              </span>
            </div>
            <Form method="post" className="flex flex-wrap items-center gap-2">
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="id" value={tag.id} />
              <input name="name" defaultValue={tag.name} required maxLength={40} aria-label={`Name of ${tag.name}`} className={field} />
              <ColorSelect value={tag.color} />
              <input name="description" defaultValue={tag.description} maxLength={300} placeholder="What it is for" aria-label={`Description of ${tag.name}`} className={`${field} min-w-48 flex-1`} />
              <Button variant="secondary" className="px-3 py-1">
                Save
              </Button>
            </Form>
            {tags.length > 1 ? (
              <Form method="post" className="flex flex-wrap items-center gap-2 text-sm">
                <input type="hidden" name="intent" value="merge" />
                <input type="hidden" name="id" value={tag.id} />
                <label className="flex items-center gap-2">
                  Merge into
                  <select name="into" required defaultValue="" className={field}>
                    <option value="" disabled>
                      another tag…
                    </option>
                    {tags
                      .filter((other) => other.id !== tag.id)
                      .map((other) => (
                        <option key={other.id} value={other.id}>
                          {other.name}
                        </option>
                      ))}
                  </select>
                </label>
                <Button variant="ghost" className="px-3 py-1">
                  Merge
                </Button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      <Form method="post" className="flex flex-wrap items-end gap-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <input type="hidden" name="intent" value="create" />
        <label className="space-y-1 text-sm">
          <span className="block font-medium">New tag</span>
          <input name="name" required maxLength={40} className={field} />
        </label>
        <ColorSelect />
        <input name="description" maxLength={300} placeholder="What it is for" aria-label="Description" className={`${field} min-w-48 flex-1`} />
        <Button className="px-3 py-1">Add tag</Button>
      </Form>
    </main>
  );
}

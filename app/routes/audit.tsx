import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { listAudit } from "#app/features/audit/audit.server.ts";
import { undoAction } from "#app/features/triage/undo.server.ts";
import { formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "audit.view");
  const before = parseCursor(new URL(request.url).searchParams.get("before"));
  const { entries, hasMore } = await listAudit(getDb(), { before });
  const last = entries.at(-1);
  return {
    entries: entries.map((e) => ({ id: e.id, actor: e.actor, summary: e.summary, when: formatInZone(e.created_at, "UTC"), undoable: e.undo !== null && e.undone_at === null, undone: e.undone_at !== null })),
    next: hasMore && last ? `?before=${formatCursor({ at: last.created_at, id: last.id })}` : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "audit.view");
  return act(async () => {
    const { auditId } = parseForm(z.object({ auditId: z.string().min(1).max(64) }), await request.formData());
    await undoAction(getDb(), user, auditId);
    return redirect("/audit");
  });
}

export const meta: MetaFunction = () => [{ title: "Audit log · Cohort" }];

export default function AuditPage() {
  const { entries, next } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Audit log</h1>
      <p className="text-sm text-slate-600">Every staff action on triage, tags and suggestions, newest first. Undoing is logged too.</p>
      <ActionError data={actionData} />
      <ol className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {entries.map((entry) => (
          <li key={entry.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
            <span>
              <span className={entry.undone ? "text-slate-600 line-through" : ""}>{entry.summary}</span>
              <span className="block text-xs text-slate-500">
                {entry.actor} · {entry.when}
                {entry.undone ? " · undone" : ""}
              </span>
            </span>
            {entry.undoable ? (
              <Form method="post">
                <input type="hidden" name="auditId" value={entry.id} />
                <Button variant="ghost" className="px-3 py-1">
                  Undo
                </Button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {next ? <Link to={next}>Older entries</Link> : null}
    </main>
  );
}

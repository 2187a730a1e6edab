import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { WebhookEvent } from "#db/schema.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { createWebhook, listWebhooks, removeWebhook, retryDelivery, WEBHOOK_EVENTS } from "#app/features/webhooks/webhooks.server.ts";
import { formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { actOn } from "#app/lib/form-action.server.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";
import { count } from "#app/lib/plural.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  const { hooks, deliveries } = await listWebhooks(getDb(), user);
  const when = (at: number | null) => (at === null ? null : formatInZone(at, "UTC"));
  return {
    events: WEBHOOK_EVENTS,
    hooks: hooks.map((h) => ({ id: h.id, url: h.url, secret: h.secret, events: h.events, created: when(h.created_at) })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      url: hooks.find((h) => h.id === d.webhook_id)?.url ?? "",
      event: d.event,
      attempts: d.attempts,
      status: d.delivered_at ? "delivered" : d.next_attempt_at === null ? "given up" : "retrying",
      lastStatus: d.last_status,
      response: d.last_response,
      next: when(d.next_attempt_at),
      created: when(d.created_at),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  const form = await request.formData();
  const db = getDb();
  const id = String(form.get("id") ?? "");
  const back = () => redirect("/admin/webhooks");
  return actOn(form.get("intent"), {
    create: async () => {
      await createWebhook(db, user, { url: String(form.get("url") ?? ""), events: form.getAll("events").map(String).filter((e): e is WebhookEvent => e in WEBHOOK_EVENTS) });
      return back();
    },
    remove: async () => {
      await removeWebhook(db, user, id);
      return back();
    },
    retry: async () => {
      await retryDelivery(db, user, id);
      return back();
    },
  });
}

export const meta: MetaFunction = () => [{ title: "Webhooks · Cohort" }];

export default function WebhooksPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Webhooks</h1>
      <p className="text-sm text-slate-600">
        Cohort posts a JSON payload to each address when a suggestion is created or changes status. Each request carries <code>X-Cohort-Timestamp</code> and{" "}
        <code>X-Cohort-Signature: sha256=HMAC(secret, timestamp + &quot;.&quot; + body)</code>. Failed deliveries are retried after 1 and 5 minutes, then 30 minutes, 2 and 12 hours.
      </p>
      <ActionError data={actionData} />
      <ul className="space-y-3">
        {page.hooks.map((hook) => (
          <li key={hook.id} className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-mono">{hook.url}</span>
              <Form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="id" value={hook.id} />
                <Button variant="ghost" className="px-3 py-1">
                  Remove
                </Button>
              </Form>
            </div>
            <p className="text-slate-600">Events: {hook.events.map((e) => page.events[e]).join("; ")}</p>
            <p className="text-slate-600">
              Secret: <code className="break-all">{hook.secret}</code>
            </p>
          </li>
        ))}
      </ul>
      <Form method="post" className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <input type="hidden" name="intent" value="create" />
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Address</span>
          <input name="url" type="url" required placeholder="https://tracker.example.com/cohort" className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300" />
        </label>
        <fieldset className="space-y-1 text-sm">
          <legend className="font-medium">Events</legend>
          {Object.entries(page.events).map(([event, label]) => (
            <label key={event} className="flex items-center gap-2">
              <input type="checkbox" name="events" value={event} defaultChecked /> {label}
            </label>
          ))}
        </fieldset>
        <Button>Add webhook</Button>
      </Form>
      <section aria-labelledby="deliveries-heading" className="space-y-2">
        <h2 id="deliveries-heading" className="text-lg font-semibold">
          Recent deliveries
        </h2>
        {page.deliveries.length === 0 ? <p className="text-sm text-slate-600">None yet.</p> : null}
        <ul className="divide-y divide-slate-100 rounded-lg bg-white text-sm shadow-sm ring-1 ring-slate-200">
          {page.deliveries.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2">
              <span>
                <span className="font-medium">{d.event}</span> → <span className="font-mono text-xs">{d.url}</span>
                <span className="block text-xs text-slate-500">
                  {d.created} · {d.status}, {count(d.attempts, "attempt")}
                  {d.lastStatus !== null ? `, last answer ${d.lastStatus}` : ""}
                  {d.response ? `: ${d.response.slice(0, 120)}` : ""}
                  {d.status === "retrying" && d.next ? ` · next try ${d.next}` : ""}
                </span>
              </span>
              {d.status !== "delivered" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="id" value={d.id} />
                  <Button variant="secondary" className="px-3 py-1">
                    Retry now
                  </Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

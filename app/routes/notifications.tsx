import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { listNotifications, markAllRead } from "#app/features/notifications/notifications.server.ts";
import { now } from "#app/lib/clock.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act } from "#app/lib/form-action.server.ts";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  const at = now();
  const rows = await listNotifications(getDb(), user.id);
  return {
    notifications: rows.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      when: formatRelative(n.created_at, at),
      unread: n.read_at === null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  return act(async () => {
    await markAllRead(getDb(), user.id);
    return { markedAll: true };
  });
}

export const meta: MetaFunction = () => [{ title: "Notifications · Cohort" }];

export default function NotificationsPage() {
  const { notifications } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const unread = notifications.some((n) => n.unread);
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-bold tracking-tight">Notifications</h1>
        {unread ? (
          <Form method="post">
            <Button variant="secondary">Mark all as read</Button>
          </Form>
        ) : null}
      </div>
      {actionData && "markedAll" in actionData ? (
        <p role="status" className="text-sm text-green-800">
          All marked as read.
        </p>
      ) : null}
      {notifications.length === 0 ? (
        <p className="text-slate-600">Nothing yet. You will hear here when something concerns you: new dates, answers to your feedback, replies.</p>
      ) : (
        <ul aria-label="Notifications" className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          {notifications.map((n) => (
            <li key={n.id} data-unread={n.unread ? "true" : undefined} className={`flex gap-3 px-5 py-4 ${n.unread ? "bg-brand-50" : ""}`}>
              <span aria-hidden="true" className={`mt-2 h-2 w-2 shrink-0 rounded-full ${n.unread ? "bg-brand-600" : "bg-transparent"}`} />
              <div className="min-w-0">
                <p className={`break-words ${n.unread ? "font-semibold text-slate-900" : "font-normal text-slate-600"}`}>
                  {n.unread ? <span className="sr-only">Unread: </span> : null}
                  {/* Through /notifications/:id, which marks it read and then opens its link. */}
                  <Link to={`/notifications/${n.id}`} className={n.unread ? "" : "text-slate-700"}>
                    {n.title}
                  </Link>
                </p>
                {n.body ? <p className="mt-1 text-sm text-slate-700">{n.body}</p> : null}
                {/* slate-500 is 4.3:1 on the unread rows' brand-50; slate-600 reads on both. */}
                <p className="mt-1 text-xs text-slate-600">
                  {n.when}
                  {n.unread ? null : " · read"}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

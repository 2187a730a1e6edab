import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { listNotifications, markAllRead } from "#app/features/notifications/notifications.server.ts";
import { now } from "#app/lib/clock.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { safeRedirect } from "#app/lib/security.ts";
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
      link: n.link ? safeRedirect(n.link) : null,
      when: formatRelative(n.created_at, at),
      unread: n.read_at === null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.manage");
  await markAllRead(getDb(), user.id);
  return null;
}

export const meta: MetaFunction = () => [{ title: "Notifications · Cohort" }];

export default function NotificationsPage() {
  const { notifications } = useLoaderData<typeof loader>();
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
      {notifications.length === 0 ? (
        <p className="text-slate-600">Nothing yet. You will hear here when something concerns you: new dates, answers to your feedback, replies.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          {notifications.map((n) => (
            <li key={n.id} className={`px-5 py-4 ${n.unread ? "bg-brand-50" : ""}`}>
              <p className="font-medium">
                {n.unread ? <span className="sr-only">Unread: </span> : null}
                {n.link ? <Link to={n.link}>{n.title}</Link> : n.title}
              </p>
              {n.body ? <p className="mt-1 text-sm text-slate-700">{n.body}</p> : null}
              <p className="mt-1 text-xs text-slate-500">{n.when}</p>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { deliverQueued, listOutbox } from "#app/features/email/outbox.server.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { env } from "#app/lib/env.server.ts";
import { LinkedText } from "#app/ui/linked-text.tsx";
import { getDb } from "#app/lib/db.server.ts";
import { act } from "#app/lib/form-action.server.ts";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.manage");
  const before = parseCursor(new URL(request.url).searchParams.get("before"));
  const { messages, hasMore } = await listOutbox(getDb(), { before });
  const last = messages.at(-1);
  return {
    smtp: Boolean(env().SMTP_URL),
    messages: messages.map((m) => ({
      id: m.id,
      to: m.to_address,
      subject: m.subject,
      text: m.text_body,
      created: new Date(m.created_at).toISOString().replace("T", " ").slice(0, 16) + " UTC",
      sent: m.sent_at !== null,
      attempts: m.attempts,
      error: m.last_error,
    })),
    next: hasMore && last ? `?before=${formatCursor({ at: last.created_at, id: last.id })}` : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(request, context, "admin.manage");
  const config = env();
  return act(() => deliverQueued(getDb(), { smtpUrl: config.SMTP_URL, from: config.EMAIL_FROM }));
}

export const meta: MetaFunction = () => [{ title: "Outbox · Cohort" }];

export default function OutboxPage() {
  const page = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-4 py-10">
      <h1 className="text-2xl font-bold tracking-tight">Outbox</h1>
      <p className="text-slate-600">
        {page.smtp
          ? "Every email Cohort sends, with its delivery state. Failed messages can be retried."
          : "No SMTP server is configured (SMTP_URL), so emails wait here instead of being sent. Open their links to act as the recipient would."}
      </p>
      {page.smtp ? (
        <Form method="post">
          <Button variant="secondary">Retry unsent messages</Button>
        </Form>
      ) : null}
      {page.messages.length === 0 ? <p className="text-slate-600">The outbox is empty.</p> : null}
      <ol className="space-y-4">
        {page.messages.map((message) => (
          <li key={message.id}>
            <article className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-label={`Email to ${message.to}: ${message.subject}`}>
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="font-semibold">{message.subject}</h2>
                <span className="text-xs text-slate-500">{message.created}</span>
              </header>
              <p className="text-sm text-slate-600">To {message.to}</p>
              <p className="mt-1 text-xs">
                {message.sent ? (
                  <span className="text-green-700">Sent</span>
                ) : message.error ? (
                  <span className="text-red-700">Failed after {message.attempts} attempt(s): {message.error}</span>
                ) : (
                  <span className="text-slate-500">{page.smtp ? "Waiting to be sent" : "Not sent (no SMTP)"}</span>
                )}
              </p>
              <pre className="mt-3 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-sans text-sm text-slate-800">
                <LinkedText text={message.text} />
              </pre>
            </article>
          </li>
        ))}
      </ol>
      {page.next ? <Link to={page.next}>Older messages</Link> : null}
    </main>
  );
}

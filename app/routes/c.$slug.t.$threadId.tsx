import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { decide } from "#app/features/auth/policy.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { readThread, replyToThread } from "#app/features/discussions/discussions.server.ts";
import { ReplySchema } from "#app/features/discussions/schemas.ts";
import { PhaseBanner } from "#app/features/communities/time-box.tsx";
import { describeTimeBox } from "#app/features/communities/communities.server.ts";
import { formatDayInZone, formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond, Refusal } from "#app/lib/refusal.ts";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const afterAt = Number(url.searchParams.get("afterAt"));
  const afterId = url.searchParams.get("afterId");
  const { view, thread, replies, hasMore } = await orRespond(
    readThread(getDb(), user, params.slug ?? "", params.threadId ?? "", afterAt && afterId ? { at: afterAt, id: afterId } : undefined),
  );
  const zone = view.community.time_zone;
  const participate = decide(user, "community.participate", view);
  const last = replies.at(-1);
  return {
    slug: view.community.slug,
    communityName: view.community.name,
    box: describeTimeBox(view.community),
    closedOn: formatDayInZone(view.community.ends_at, zone),
    thread: { id: thread.id, title: thread.title, author: thread.author, bodyHtml: thread.body_html, when: formatInZone(thread.created_at, zone), replyCount: thread.reply_count },
    replies: replies.map((r) => ({ id: r.id, author: r.author, bodyHtml: r.body_html, when: formatInZone(r.created_at, zone) })),
    nextPage: hasMore && last ? `?afterAt=${last.created_at}&afterId=${last.id}` : null,
    canReply: participate.allowed,
    whyNot: participate.allowed ? null : participate.message,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const threadId = params.threadId ?? "";
  const parsed = ReplySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: parsed.error.issues.map((i) => i.message).join(" ") }, { status: 400 });
  try {
    await replyToThread(getDb(), user, slug, threadId, parsed.data);
    // Without JavaScript this shows the page with the reply; with it, Remix follows the
    // redirect in place and revalidates, so the page does not reload.
    return redirect(`/c/${slug}/t/${threadId}#reply-form`);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.status === 404) throw new Response(error.message, { status: 404 });
    const headers: HeadersInit = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : {};
    return data({ error: error.message }, { status: error.status, headers });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.thread.title} · ${data.communityName} · Cohort` : "Cohort" }];

export default function ThreadPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <Link to={`/c/${page.slug}`} className="text-sm">
        ← {page.communityName}
      </Link>
      <PhaseBanner box={page.box} closedOn={page.closedOn} />
      <article className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-2xl font-bold tracking-tight">{page.thread.title}</h1>
        <p className="mt-1 text-sm text-slate-500">
          {page.thread.author} · {page.thread.when}
        </p>
        {/* Rendered from Markdown with raw HTML disabled when it was written. */}
        <div className="prose-cohort mt-4" dangerouslySetInnerHTML={{ __html: page.thread.bodyHtml }} />
      </article>
      <section aria-labelledby="replies-heading" className="space-y-3">
        <h2 id="replies-heading" className="text-lg font-semibold">
          {page.thread.replyCount} {page.thread.replyCount === 1 ? "reply" : "replies"}
        </h2>
        <ol className="space-y-3">
          {page.replies.map((reply) => (
            <li key={reply.id} id={`reply-${reply.id}`} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <p className="text-sm text-slate-500">
                <span className="font-medium text-slate-800">{reply.author}</span> · {reply.when}
              </p>
              <div className="prose-cohort mt-2" dangerouslySetInnerHTML={{ __html: reply.bodyHtml }} />
            </li>
          ))}
        </ol>
        {page.nextPage ? <Link to={page.nextPage}>Later replies</Link> : null}
      </section>
      {page.canReply ? (
        <Form method="post" key={page.thread.replyCount} id="reply-form" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          {actionData?.error ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{actionData.error}</p>
          ) : null}
          <label htmlFor="reply-body" className="block text-sm font-medium">Your reply</label>
          <textarea id="reply-body" name="body" required rows={4} maxLength={20000} className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600" />
          <Button disabled={submitting}>{submitting ? "Posting…" : "Post reply"}</Button>
        </Form>
      ) : page.whyNot ? (
        <p role="status" className="text-sm text-slate-600">{page.whyNot}</p>
      ) : null}
    </main>
  );
}

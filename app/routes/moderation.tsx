import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { moderatePost } from "#app/features/discussions/moderating.server.ts";
import { postLink } from "#app/features/discussions/links.ts";
import { FLAG_REASONS } from "#app/features/discussions/flag-reasons.ts";
import { assertModerator, listModerationQueue } from "#app/features/discussions/moderation.server.ts";
import { ModerationButtons, PostFields } from "#app/features/discussions/post-card.tsx";
import { Button } from "#app/ui/button.tsx";
import { ActionError } from "#app/ui/action-error.tsx";
import { now } from "#app/lib/clock.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { PersonLink } from "#app/ui/person-link.tsx";

/** The post the last action touched, named in the address the action sends back to, so the page can say what happened and offer to undo it. */
const DoneSchema = z.object({
  done: z.enum(["hide", "restore", "keep"]),
  slug: z.string().min(1).max(100),
  threadId: z.string().min(1).max(64),
  kind: z.enum(["thread", "reply"]),
  id: z.string().min(1).max(64),
});

const DONE_TEXT = {
  hide: "Post hidden. Its author and whoever flagged it were told.",
  restore: "Post restored: members see it again, and its author was told.",
  keep: "Post kept visible. Its author and whoever flagged it were told it was reviewed.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const community = url.searchParams.get("community") ?? undefined;
  const done = DoneSchema.safeParse(Object.fromEntries(url.searchParams));
  const items = await orRespond(listModerationQueue(getDb(), user, { communitySlug: community }));
  const at = now();
  return {
    community,
    done: done.success ? done.data : null,
    items: items.map((item) => ({
      ...item,
      link: postLink(item.community.slug, item.thread.id, { kind: item.post.kind, id: item.post.id, created_at: item.post.createdAt }),
      when: formatRelative(item.post.createdAt, at),
      flags: item.flags.map((flag) => ({ ...flag, reason: FLAG_REASONS[flag.reason], when: formatRelative(flag.createdAt, at) })),
    })),
  };
}

const ModerationSchema = z.object({
  intent: z.enum(["hide", "restore", "keep"]),
  slug: z.string().min(1).max(100),
  threadId: z.string().min(1).max(64),
  kind: z.enum(["thread", "reply"]),
  id: z.string().min(1).max(64),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await orRespond(assertModerator(getDb(), user));
  return act(async () => {
    const { intent, slug, threadId, kind, id } = parseForm(ModerationSchema, await request.formData());
    const community = new URL(request.url).searchParams.get("community");
    const back = new URLSearchParams({ ...(community ? { community } : {}), done: intent, slug, threadId, kind, id });
    await moderatePost(getDb(), user, slug, threadId, { kind, id }, intent);
    return redirect(`/moderation?${back}`);
  });
}

export const meta: MetaFunction = () => [{ title: "Moderation · Cohort" }];

export default function ModerationPage() {
  const { items, community, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-4 py-10">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Moderation</h1>
        <p className="mt-1 text-slate-600">
          Posts members have flagged{community ? " in this community" : " in the communities you moderate"}, oldest first. Hiding a post tells its author and whoever flagged it;
          keeping it tells them it was reviewed.
          {community ? (
            <>
              {" "}
              <Link to="/moderation">Show every community</Link>
            </>
          ) : null}
        </p>
      </div>
      <ActionError data={actionData} />
      {done ? (
        <div role="status" className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          <span>{DONE_TEXT[done.done]}</span>
          <Link to={`/c/${done.slug}/t/${done.threadId}`}>Open the thread</Link>
          {done.done === "hide" ? (
            // Undo restores the post; the flags stay resolved, so it does not come back to the queue.
            <Form method="post" replace className="ml-auto">
              <input type="hidden" name="slug" value={done.slug} />
              <input type="hidden" name="threadId" value={done.threadId} />
              <PostFields post={done} intent="restore" />
              <Button variant="secondary" className="px-3 py-1">
                Undo
              </Button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {items.length === 0 ? (
        <p role="status" className="rounded-lg bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200">
          Nothing waiting. Flagged posts appear here.
        </p>
      ) : (
        <ul className="space-y-4">
          {items.map((item) => (
            <li key={`${item.post.kind}:${item.post.id}`} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-label={`Flagged post by ${item.post.author}`}>
              <p className="text-sm text-slate-500">
                <Link to={`/c/${item.community.slug}`}>{item.community.name}</Link> ›{" "}
                <Link to={item.link}>{item.thread.title}</Link>
              </p>
              <p className="mt-2 text-sm">
                <PersonLink id={item.post.authorId} name={item.post.author} className="font-medium" /> <span className="text-slate-500">· {item.when}</span>
                {item.post.removed ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs">{item.post.removed === "author" ? "Removed by its author" : "Hidden"}</span> : null}
              </p>
              {/* Rendered from Markdown with raw HTML disabled when it was written. */}
              <div className="prose-cohort mt-2 max-h-48 overflow-y-auto rounded-md bg-slate-50 p-3" dangerouslySetInnerHTML={{ __html: item.post.bodyHtml }} />
              <ul className="mt-3 space-y-1 text-sm">
                {item.flags.map((flag, index) => (
                  <li key={index}>
                    <span className="font-medium text-amber-800">{flag.reason}</span> · {flag.reporter}, {flag.when}
                    {flag.note ? <q className="ml-1 text-slate-600">{flag.note}</q> : null}
                  </li>
                ))}
              </ul>
              <div className="mt-3 flex">
                <ModerationButtons post={{ ...item.post, openFlags: item.flags.length }} thread={{ slug: item.community.slug, id: item.thread.id }} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { readProfile } from "#app/features/profiles/profiles.server.ts";
import { now } from "#app/lib/clock.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const after = parseCursor(new URL(request.url).searchParams.get("after"));
  const profile = await orRespond(readProfile(getDb(), user, params.userId ?? "", after));
  const at = now();
  return {
    ...profile,
    posts: profile.posts.map((p) => ({ ...p, when: formatRelative(p.createdAt, at) })),
    older: profile.next ? `?after=${formatCursor(profile.next)}` : null,
    paged: after !== undefined,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.person.displayName} · Cohort` : "Cohort" }];

const KIND_LABEL = { discussion: "Thread", idea: "Idea", prompt: "Research prompt", reply: "Reply" } as const;

export default function ProfilePage() {
  const { person, communities, posts, older, paged } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <header className="space-y-2">
        <h1 className="break-words text-3xl font-bold tracking-tight">{person.displayName}</h1>
        {person.staffLabel ? <p className="inline-block rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">Cohort staff · {person.staffLabel}</p> : null}
        {person.bio ? (
          <p className="whitespace-pre-line break-words text-slate-800">{person.bio}</p>
        ) : (
          <p className="text-sm text-slate-500">{person.isSelf ? "You have not written a bio yet." : "No bio yet."}</p>
        )}
        {person.isSelf ? (
          <p className="text-sm">
            <Link to="/account#profile-heading">Edit your name and bio</Link>
          </p>
        ) : null}
      </header>

      <section aria-labelledby="communities-heading" className="space-y-2">
        <h2 id="communities-heading" className="text-lg font-semibold">
          {person.isSelf ? "Your communities" : "Communities you share"}
        </h2>
        {communities.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {communities.map((c) => (
              <li key={c.slug} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
                <Link to={`/c/${c.slug}`}>{c.name}</Link>
                <span className="text-slate-600">{c.role}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="posts-heading" className="space-y-2">
        <h2 id="posts-heading" className="text-lg font-semibold">
          {paged ? "Older posts" : "Recent posts"}
        </h2>
        {posts.length === 0 ? (
          <p className="text-sm text-slate-600">{paged ? "No older posts you can see." : "Nothing here yet that you can see."}</p>
        ) : (
          <ol aria-label="Posts" className="space-y-3">
            {posts.map((post) => (
              <li key={`${post.kind}:${post.id}`} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <p className="text-xs text-slate-500">
                  {KIND_LABEL[post.kind]} · {post.community} · {post.when}
                </p>
                <p className="mt-1 break-words font-medium">
                  <Link to={post.link}>{post.title}</Link>
                </p>
                {post.excerpt ? <p className="mt-1 break-words text-sm text-slate-700">{post.excerpt}</p> : null}
              </li>
            ))}
          </ol>
        )}
        {older ? (
          <p>
            <Link to={older}>Older posts</Link>
          </p>
        ) : null}
      </section>
    </main>
  );
}

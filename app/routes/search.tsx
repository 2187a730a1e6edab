import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { MARK_END, MARK_START } from "#app/features/search/marks.ts";
import { search } from "#app/features/search/search.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 200);
  return { q, results: q.trim() ? await search(getDb(), user, q) : null };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.q ? `“${data.q}” · Search · Cohort` : "Search · Cohort" }];

const KIND_LABEL = { thread: "Thread", idea: "Idea", prompt: "Research prompt", reply: "Reply", suggestion: "Suggestion" } as const;

/** Text with the search engine's match markers shown as <mark>, without ever treating it as HTML. */
function Marked({ text }: { text: string }) {
  const parts = text.split(new RegExp(`(${MARK_START}[^${MARK_END}]*${MARK_END})`, "g"));
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith(MARK_START) ? (
          <mark key={i} className="rounded bg-amber-100 px-0.5 text-inherit">
            {part.slice(1, -1)}
          </mark>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default function SearchPage() {
  const { q, results } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <h1 className="text-2xl font-bold tracking-tight">Search</h1>
      <Form method="get" role="search" aria-label="Search what you can see" className="flex gap-2">
        <label htmlFor="search-q" className="sr-only">
          Search threads, replies, ideas and suggestions
        </label>
        <input id="search-q" type="search" name="q" defaultValue={q} key={q} placeholder="Search threads, replies, ideas…" className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300" />
        <Button>Search</Button>
      </Form>
      {results === null ? (
        <p className="text-sm text-slate-600">Search covers the communities you belong to (staff: all of them, and the product suggestions).</p>
      ) : results.length === 0 ? (
        <p role="status" className="text-slate-600">
          Nothing matches “{q}” in what you can see.
        </p>
      ) : (
        <ol aria-label="Results" className="space-y-3">
          {results.map((result) => (
            <li key={result.link} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <p className="text-xs text-slate-500">
                {KIND_LABEL[result.kind]}
                {result.community ? ` · ${result.community}` : ""}
              </p>
              <Link to={result.link} className="font-semibold">
                <Marked text={result.title} />
              </Link>
              {result.snippet ? (
                <p className="mt-1 text-sm text-slate-700">
                  <Marked text={result.snippet} />
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}

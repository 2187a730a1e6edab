import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import {
  archiveCommunity,
  getCommunityToManage,
  publishCommunity,
  updateCommunity,
} from "#app/features/communities/communities.server.ts";
import { CommunityFormFields } from "#app/features/communities/community-form.tsx";
import { CommunityFormSchema } from "#app/features/communities/schemas.ts";
import { PhaseBadge } from "#app/features/communities/time-box.tsx";
import { timeZoneOptions, toLocalInput } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond, Refusal } from "#app/lib/refusal.ts";
import { Button } from "#app/ui/button.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const view = await orRespond(getCommunityToManage(getDb(), user, params.slug ?? ""));
  const { community } = view;
  return {
    slug: community.slug,
    name: community.name,
    phase: community.phase,
    timeZones: timeZoneOptions(),
    defaults: {
      name: community.name,
      purpose: community.purpose_markdown,
      timeZone: community.time_zone,
      startsAt: toLocalInput(community.starts_at, community.time_zone),
      endsAt: toLocalInput(community.ends_at, community.time_zone),
      voteBudget: community.vote_budget,
      hideVoteCounts: community.hide_vote_counts === 1,
      randomIdeaOrder: community.random_idea_order === 1,
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const db = getDb();
  // Who may change it is decided before what they sent is read.
  await orRespond(getCommunityToManage(db, user, slug));
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "publish" || intent === "archive") {
    await orRespond(intent === "publish" ? publishCommunity(db, user, slug) : archiveCommunity(db, user, slug));
    return redirect(`/c/${slug}`);
  }
  const submission = parseWithZod(formData, { schema: CommunityFormSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await updateCommunity(db, user, slug, submission.value);
    return redirect(`/c/${slug}`);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.status === 404) throw new Response(error.message, { status: 404 });
    return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: error.status });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.name} · Cohort` : "Cohort" }];

export default function EditCommunityPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <div>
        <PhaseBadge phase={page.phase} />
        <h1 className="mt-2 text-2xl font-bold tracking-tight">Edit {page.name}</h1>
      </div>
      <CommunityFormFields defaults={page.defaults} timeZones={page.timeZones} lastResult={actionData?.result} submitLabel="Save changes" slugEditable={false} />
      <section aria-labelledby="lifecycle-heading" className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="lifecycle-heading" className="text-lg font-semibold">
          Publishing
        </h2>
        {page.phase === "draft" ? (
          <Form method="post" className="flex flex-wrap items-center gap-4">
            <input type="hidden" name="intent" value="publish" />
            <p className="flex-1 text-sm text-slate-600">Publishing shows the community to its members, with its brief and dates.</p>
            <Button>Publish</Button>
          </Form>
        ) : null}
        <Form method="post" className="flex flex-wrap items-center gap-4">
          <input type="hidden" name="intent" value="archive" />
          <p className="flex-1 text-sm text-slate-600">Archiving takes it off every list; direct links stay readable. It cannot be undone here.</p>
          <Button variant="danger">Archive</Button>
        </Form>
      </section>
    </main>
  );
}

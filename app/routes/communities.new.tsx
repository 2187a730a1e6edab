import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { createCommunity } from "#app/features/communities/communities.server.ts";
import { CommunityFormFields } from "#app/features/communities/community-form.tsx";
import { CommunityFormSchema } from "#app/features/communities/schemas.ts";
import { DAY, now } from "#app/lib/clock.ts";
import { timeZoneOptions, toLocalInput } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { withSubmission } from "#app/lib/form-action.server.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "community.create");
  const zone = "UTC";
  // A sensible first guess: opens in a week at 09:00, runs for two weeks.
  const opens = Math.ceil((now() + 7 * DAY) / DAY) * DAY + 9 * 3_600_000;
  return {
    timeZones: timeZoneOptions(),
    defaults: { timeZone: zone, startsAt: toLocalInput(opens, zone), endsAt: toLocalInput(opens + 14 * DAY, zone) },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "community.create");
  return withSubmission(await request.formData(), CommunityFormSchema, async (input) => {
    const { slug } = await createCommunity(getDb(), user, input);
    return redirect(`/c/${slug}`);
  });
}

export const meta: MetaFunction = () => [{ title: "New community · Cohort" }];

export default function NewCommunityPage() {
  const { timeZones, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-2xl font-bold tracking-tight">New research community</h1>
      <p className="mt-2 text-slate-600">
        It starts as a draft that only staff can see. Publish it when the brief and dates are right: members see both before they join.
      </p>
      <div className="mt-6">
        <CommunityFormFields defaults={defaults} timeZones={timeZones} lastResult={actionData?.result} submitLabel="Create draft" slugEditable />
      </div>
    </main>
  );
}

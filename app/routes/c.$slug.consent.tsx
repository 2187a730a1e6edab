import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityHeader } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { agreeToConsent, consentPage, publishConsent, withdrawFromCommunity } from "#app/features/consent/consent.server.ts";
import { ConsentTextView } from "#app/features/consent/consent-text.tsx";
import { CONSENT_PARTS, ConsentSchema } from "#app/features/consent/schemas.ts";
import { formatDayInZone, formatInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button, buttonClass } from "#app/ui/button.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";
import { Table } from "#app/ui/table.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const page = await orRespond(consentPage(getDb(), user, params.slug ?? ""));
  const { community } = page.view;
  const zone = community.time_zone;
  const url = new URL(request.url);
  const shown = <T extends { publishedAt: number }>(text: T) => ({ ...text, publishedOn: formatDayInZone(text.publishedAt, zone) });
  return {
    slug: community.slug,
    name: community.name,
    header: communityHeader(community),
    current: page.current && shown(page.current),
    earlier: page.earlier.map(shown),
    member: page.view.membership !== null,
    mine: page.mine.map((a) => ({ version: a.version, when: formatInZone(a.agreed_at, zone) })),
    mustAgree: page.mustAgree,
    canPublish: page.canPublish,
    staff: page.staff && {
      agreements: page.staff.agreements.map((a) => ({ userId: a.user_id, name: a.name, version: a.version, when: formatInZone(a.agreed_at, zone) })),
      waiting: page.staff.waiting.map((w) => ({ userId: w.id, name: w.name, version: w.consent_version })),
    },
    // ?confirm=withdraw says what withdrawing does before it happens (works without JavaScript).
    confirmWithdraw: url.searchParams.get("confirm") === "withdraw" && page.view.membership !== null,
    agreed: url.searchParams.has("agreed"),
    published: url.searchParams.get("published"),
  };
}

const ConsentActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("agree"), version: z.coerce.number().int().min(1) }),
  z.object({ intent: z.literal("withdraw"), anonymise: z.literal("on").optional() }),
  ConsentSchema.extend({ intent: z.literal("publish") }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  const db = getDb();
  return act(async () => {
    // The schema names each intent: one it does not name is refused with the form's message.
    const input = parseForm(ConsentActionSchema, await request.formData());
    switch (input.intent) {
      case "agree":
        await agreeToConsent(db, user, slug, input.version);
        return redirect(`/c/${slug}/consent?agreed=1`);
      case "withdraw":
        await withdrawFromCommunity(db, user, slug, { anonymise: input.anonymise === "on" });
        return redirect(`/?left=${encodeURIComponent(slug)}${input.anonymise === "on" ? "&anonymised=1" : ""}`);
      case "publish": {
        const { intent: _intent, ...text } = input;
        const { version } = await publishConsent(db, user, slug, text);
        return redirect(`/c/${slug}/consent?published=${version}`);
      }
    }
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Consent · ${data.name} · Cohort` : "Consent · Cohort" }];

export default function ConsentPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const latestMine = page.mine[0];
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <CommunityHeader header={{ ...page.header, consentToAgree: null }} />
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Consent</h1>
        <p className="mt-1 text-slate-600">What members of {page.name} agree to: what is collected, who reads it, how quotes are used, how long it is kept.</p>
      </div>
      <ActionError data={actionData} />
      {page.agreed ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          Thank you: you agreed to version {latestMine?.version}. You can take part again.
        </p>
      ) : null}
      {page.published ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          Version {page.published} is published. Members are asked to agree to it on their next visit, before they write again.
        </p>
      ) : null}
      {page.current ? (
        <ConsentTextView consent={page.current} heading="What members agree to" />
      ) : (
        <p className="rounded-md bg-slate-100 px-4 py-3 text-slate-700">This community has no consent text yet.{page.canPublish ? " Write the first version below; members will be asked to agree to it." : ""}</p>
      )}
      {page.member && page.current ? (
        page.mustAgree ? (
          <Form method="post" className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-5">
            <input type="hidden" name="intent" value="agree" />
            <input type="hidden" name="version" value={page.current.version} />
            <p className="text-sm text-amber-900">
              {latestMine ? `You agreed to version ${latestMine.version} on ${latestMine.when}. ` : ""}Version {page.current.version} is the one that applies now: read it above, then agree to go on taking part,
              or withdraw below.
            </p>
            <Button disabled={busy}>I agree to version {page.current.version}</Button>
          </Form>
        ) : latestMine ? (
          <p className="text-sm text-slate-700">
            You agreed to version {latestMine.version} on {latestMine.when}.
          </p>
        ) : null
      ) : null}
      {page.member ? (page.confirmWithdraw ? <WithdrawConfirmation slug={page.slug} /> : (
        <p>
          <Link to="?confirm=withdraw" className={buttonClass("ghost")}>
            Withdraw from this study…
          </Link>
        </p>
      )) : null}
      {page.canPublish ? <PublishForm /> : null}
      {page.staff ? <Agreements /> : null}
      {page.earlier.length > 0 ? (
        <section aria-labelledby="earlier-heading" className="space-y-3">
          <h2 id="earlier-heading" className="text-lg font-semibold">
            Earlier versions
          </h2>
          {page.earlier.map((text) => (
            <details key={text.version} className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
              <summary className="cursor-pointer font-medium">
                Version {text.version}, published {text.publishedOn}
              </summary>
              <div className="mt-3">
                <ConsentTextView consent={text} heading={`Version ${text.version}`} />
              </div>
            </details>
          ))}
        </section>
      ) : null}
    </main>
  );
}

/** What withdrawing does, said before it happens; the member chooses whether their contributions are anonymised. */
function WithdrawConfirmation({ slug }: { slug: string }) {
  return (
    <section aria-labelledby="withdraw-heading" className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-5">
      <h2 id="withdraw-heading" className="text-lg font-semibold text-red-900">
        Withdraw from this study?
      </h2>
      <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
        <li>You leave the community: you lose access to its discussions, ideas and polls, and are no longer told about them.</li>
        <li>Without the box below, what you wrote stays under your name.</li>
        <li>With it, everything you wrote, voted and answered in this community is shown as “Former member” from now on, for everyone, in every page and export. Your account and your posts elsewhere keep your name. This cannot be undone.</li>
      </ul>
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="withdraw" />
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="anonymise" className="mt-1 h-4 w-4" />
          <span>Also anonymise my contributions in this community now</span>
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="danger">Withdraw</Button>
          <Link to={`/c/${slug}/consent`}>Cancel, stay a member</Link>
        </div>
      </Form>
    </section>
  );
}

/** A new version, starting from the current text; publishing asks every member to agree again. */
function PublishForm() {
  const page = useLoaderData<typeof loader>();
  return (
    <details className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" open={!page.current}>
      <summary className="cursor-pointer font-semibold">{page.current ? `Publish version ${page.current.version + 1}` : "Publish the consent text"}</summary>
      <Form method="post" className="mt-4 space-y-4">
        <input type="hidden" name="intent" value="publish" />
        {CONSENT_PARTS.map(([key, label]) => (
          <div key={key} className="space-y-1">
            <label htmlFor={`consent-${key}`} className="block text-sm font-medium">
              {label}
              {key === "incentive" ? " (optional)" : ""}
            </label>
            <textarea
              id={`consent-${key}`}
              name={key}
              rows={3}
              maxLength={2000}
              required={key !== "incentive"}
              defaultValue={page.current?.[key] ?? ""}
              className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300"
            />
          </div>
        ))}
        <p className="text-sm text-slate-600">Every member is asked to agree to the new version on their next visit, and cannot write until they do. Earlier versions and who agreed to them are kept.</p>
        <Button>Publish</Button>
      </Form>
    </details>
  );
}

/** Who agreed to which version and when, and who has yet to agree to the current one. */
function Agreements() {
  const page = useLoaderData<typeof loader>();
  const staff = page.staff!;
  return (
    <section aria-labelledby="agreements-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="agreements-heading" className="text-lg font-semibold">
          Agreements (staff only)
        </h2>
        <a href={`/c/${page.slug}/consent.csv`} download className="text-sm">
          CSV
        </a>
      </div>
      {page.current ? (
        <p className="text-sm text-slate-700">
          {staff.waiting.length === 0
            ? `Every member has agreed to version ${page.current.version}.`
            : `${staff.waiting.length} ${staff.waiting.length === 1 ? "member has" : "members have"} not agreed to version ${page.current.version} yet: `}
          {staff.waiting.map((w, i) => (
            <span key={w.userId}>
              {i > 0 ? ", " : ""}
              <PersonLink id={w.userId} name={w.name} />
              {w.version > 0 ? ` (version ${w.version})` : " (none)"}
            </span>
          ))}
        </p>
      ) : null}
      {staff.agreements.length === 0 ? (
        <p className="text-sm text-slate-600">Nobody has agreed yet.</p>
      ) : (
        <Table headers={["Member", "Version", "Agreed"]}>
          {staff.agreements.map((a) => (
            <tr key={`${a.userId}-${a.version}`}>
              <td className="px-4 py-2">
                <PersonLink id={a.userId} name={a.name} />
              </td>
              <td className="px-4 py-2 tabular-nums">{a.version}</td>
              <td className="px-4 py-2">{a.when}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

import type { ReactNode } from "react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "#app/features/auth/policy.ts";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { ROLES } from "#app/features/auth/schemas.ts";
import { ROLE_NAMES, STATUS_NAMES } from "#app/features/people/labels.ts";
import { changePersonRole, getPerson, reactivatePerson, suspendPerson } from "#app/features/people/people.server.ts";
import { sendPasswordResetFor } from "#app/features/auth/password-reset.server.ts";
import { siteOrigin } from "#app/lib/origin.server.ts";
import { ChangeRoleSchema } from "#app/features/people/schemas.ts";
import { now } from "#app/lib/clock.ts";
import { formatInZone, formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { actOn, parseForm } from "#app/lib/form-action.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { count } from "#app/lib/plural.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";

const COMMUNITY_ROLE = { participant: "Participant", leader: "Discussion leader", moderator: "Moderator" } as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  const person = await orRespond(getPerson(getDb(), user, params.userId ?? ""));
  const at = now();
  const when = (ms: number | null) => (ms === null ? null : { relative: formatRelative(ms, at), exact: `${formatInZone(ms, "UTC")} UTC` });
  const changeable = person.status !== "erased";
  return {
    id: person.id,
    displayName: person.displayName,
    email: person.status === "erased" ? null : person.email,
    role: person.role,
    roleName: ROLE_NAMES[person.role],
    status: person.status,
    isSelf: person.id === user.id,
    created: when(person.createdAt),
    lastSeen: when(person.lastSeenAt),
    suspended: when(person.suspendedAt),
    suspendedBy: person.suspendedBy,
    communities: person.communities.map((c) => ({ name: c.name, slug: c.slug, role: COMMUNITY_ROLE[c.role] })),
    communityCount: person.communityCount,
    canChangeRole: changeable && can(user, "user.change-role", { targetUserId: person.id }),
    canSuspend: changeable && can(user, "user.suspend", { targetUserId: person.id }),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  const userId = params.userId ?? "";
  const form = await request.formData();
  const db = getDb();
  const client = { clientAddress: context.clientAddress };
  const back = (done: string) => redirect(`/admin/people/${userId}?done=${done}`);
  return actOn(form.get("intent"), {
    role: async () => {
      const { role } = parseForm(ChangeRoleSchema, { role: form.get("role") });
      await changePersonRole(db, user, { userId, role });
      return back("role");
    },
    suspend: async () => {
      await suspendPerson(db, user, userId, client);
      return back("suspended");
    },
    reactivate: async () => {
      await reactivatePerson(db, user, userId, client);
      return back("reactivated");
    },
    "reset-link": async () => {
      await sendPasswordResetFor(db, userId, { sentBy: user.id, siteOrigin: siteOrigin(request) });
      return back("reset-link");
    },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.displayName ?? "Person"} · People · Cohort` }];

export default function PersonPage() {
  const person = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const done = searchParams.get("done");
  const confirming = searchParams.get("confirm") === "suspend" && person.canSuspend && person.status === "active";
  const name = person.displayName;
  const notice =
    done === "role"
      ? `${name} is now ${person.roleName}. They were signed out everywhere; the new role applies when they sign in again.`
      : done === "suspended" && person.status === "suspended"
        ? `${name} is suspended and was signed out everywhere.`
        : done === "reactivated" && person.status === "active"
          ? `${name} can sign in again.`
          : done === "reset-link"
            ? `A link to set a new password is on its way to ${person.email ?? name}. It works once, for one hour; older links no longer work.`
            : null;

  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-8">
      <p className="text-sm">
        <Link to="/admin/people">← People</Link>
      </p>
      <h1 className="text-2xl font-bold tracking-tight break-words">{name}</h1>
      {notice ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}
      <ActionError data={actionData} />

      <dl className="divide-y divide-slate-200 rounded-lg bg-white text-sm shadow-sm ring-1 ring-slate-200">
        <Row term="Email">{person.email ?? "— (erased)"}</Row>
        <Row term="Role">{person.roleName}</Row>
        <Row term="Status">
          {STATUS_NAMES[person.status]}
          {person.status === "suspended" && person.suspended ? (
            <span className="block text-slate-600">
              <span title={person.suspended.exact}>{person.suspended.relative}</span>
              {person.suspendedBy ? `, by ${person.suspendedBy}` : ""}
            </span>
          ) : null}
        </Row>
        <Row term="Last seen">{person.lastSeen ? <span title={person.lastSeen.exact}>{person.lastSeen.relative}</span> : "never"}</Row>
        <Row term="Account created">{person.created ? <span title={person.created.exact}>{person.created.relative}</span> : null}</Row>
        <Row term="Communities">
          {person.communityCount === 0 ? (
            "none"
          ) : (
            <ul className="space-y-1">
              {person.communities.map((c) => (
                <li key={c.slug}>
                  <Link to={`/c/${c.slug}`}>{c.name}</Link> <span className="text-slate-500">· {c.role}</span>
                </li>
              ))}
              {person.communityCount > person.communities.length ? <li className="text-slate-500">and {count(person.communityCount - person.communities.length, "more community", "more communities")}</li> : null}
            </ul>
          )}
        </Row>
      </dl>

      {person.isSelf ? <p className="text-sm text-slate-600">This is you. Another admin can change your role or suspend your account; you cannot, so Cohort always keeps an admin.</p> : null}
      {person.status === "erased" ? <p className="text-sm text-slate-600">This account was erased at its owner’s request. Its posts stay, signed “Former member”; there is nothing left to change.</p> : null}

      {person.canChangeRole ? (
        <section aria-labelledby="role-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="role-heading" className="text-lg font-semibold">
            Global role
          </h2>
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="role" />
            <label className="space-y-1 text-sm">
              <span className="block font-medium">New role</span>
              <select name="role" defaultValue={person.role} className="block rounded-md border-0 py-2 pl-3 pr-8 ring-1 ring-inset ring-slate-300">
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_NAMES[role]}
                  </option>
                ))}
              </select>
            </label>
            <Button>Change role</Button>
          </Form>
          <p className="text-sm text-slate-600">Changing the role signs {name} out everywhere; the new role applies when they sign in again.</p>
        </section>
      ) : null}

      {person.status === "active" ? (
        <section aria-labelledby="reset-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="reset-heading" className="text-lg font-semibold">
            Password
          </h2>
          <Form method="post" className="space-y-2">
            <p className="text-sm text-slate-600">
              Email {name} a link to set a new password. It works once, for one hour; their current password keeps working until they use it.
            </p>
            <input type="hidden" name="intent" value="reset-link" />
            <Button variant="secondary">Send a reset link</Button>
          </Form>
        </section>
      ) : null}

      {person.canSuspend ? (
        <section id="suspend" aria-labelledby="suspend-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="suspend-heading" className="text-lg font-semibold">
            {person.status === "suspended" ? "Suspended" : "Suspend"}
          </h2>
          {person.status === "suspended" ? (
            <Form method="post" className="space-y-2">
              <p className="text-sm text-slate-600">Reactivating lets {name} sign in again with their password.</p>
              <input type="hidden" name="intent" value="reactivate" />
              <Button>Reactivate {name}</Button>
            </Form>
          ) : confirming ? (
            <Form method="post" className="space-y-3 rounded-md border border-red-200 bg-red-50 p-4" aria-describedby="suspend-consequence">
              <p id="suspend-consequence" className="text-sm text-red-900">
                <strong>Suspend {name}?</strong> {name} is signed out at once and cannot sign in; what they wrote stays. You can reactivate the account later.
              </p>
              <input type="hidden" name="intent" value="suspend" />
              <div className="flex flex-wrap gap-2">
                <Button variant="danger">Suspend {name}</Button>
                <Link to={`/admin/people/${person.id}`} className="px-3 py-2 text-sm">
                  Cancel
                </Link>
              </div>
            </Form>
          ) : (
            <>
              <p className="text-sm text-slate-600">A suspended account is signed out and cannot sign in until an admin reactivates it. What it wrote stays visible.</p>
              <Link to="?confirm=suspend#suspend" className="inline-block rounded-md px-4 py-2 text-sm font-semibold text-red-700 ring-1 ring-inset ring-red-300 no-underline hover:bg-red-50 hover:no-underline">
                Suspend {name}…
              </Link>
            </>
          )}
        </section>
      ) : null}
    </main>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
      <dt className="font-medium text-slate-600">{term}</dt>
      <dd className="break-words sm:col-span-2">{children}</dd>
    </div>
  );
}

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { ROLES } from "#app/features/auth/schemas.ts";
import { ROLE_NAMES, STATUS_NAMES } from "#app/features/people/labels.ts";
import { createPerson, listPeople } from "#app/features/people/people.server.ts";
import { CreatePersonSchema, PeopleSearchSchema } from "#app/features/people/schemas.ts";
import { now } from "#app/lib/clock.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { formatInZone, formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { withSubmission } from "#app/lib/form-action.server.ts";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, SelectField, TextField } from "#app/ui/field.tsx";
import { Table } from "#app/ui/table.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  const url = new URL(request.url);
  const search = PeopleSearchSchema.parse(url.searchParams.get("q") ?? "");
  const after = parseCursor(url.searchParams.get("after"));
  const { people, next } = await listPeople(getDb(), user, { search, after });
  const at = now();
  const nextParams = new URLSearchParams();
  if (search) nextParams.set("q", search);
  if (next) nextParams.set("after", formatCursor(next));
  return {
    search,
    paged: after !== undefined,
    next: next ? `?${nextParams}` : null,
    people: people.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      email: p.status === "erased" ? null : p.email,
      role: ROLE_NAMES[p.role],
      status: p.status,
      lastSeen: p.lastSeenAt === null ? null : { relative: formatRelative(p.lastSeenAt, at), exact: formatInZone(p.lastSeenAt, "UTC") },
      communityCount: p.communityCount,
      communities: p.communities,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.manage");
  return withSubmission(
    await request.formData(),
    CreatePersonSchema,
    async (input, submission) => {
      const created = await createPerson(getDb(), user, input);
      return { result: submission.reply({ resetForm: true }), created: { ...created, role: ROLE_NAMES[created.role] } };
    },
    { failed: { created: null } },
  );
}

export const meta: MetaFunction = () => [{ title: "People · Cohort" }];

const STATUS_STYLE = { active: "bg-green-50 text-green-800", suspended: "bg-amber-100 text-amber-900", erased: "bg-slate-100 text-slate-600" } as const;

export default function PeoplePage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: { role: "member" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreatePersonSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const created = actionData?.created;

  return (
    <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight">People</h1>
      <p className="text-sm text-slate-600">Every account on this Cohort. Open a person to change their role or suspend them; every change is in the audit log.</p>

      {created ? (
        <section role="status" aria-labelledby="created-heading" className="space-y-2 rounded-lg border border-green-200 bg-green-50 p-4 text-sm text-green-900">
          <h2 id="created-heading" className="font-semibold">
            Created the account of {created.displayName} ({created.role})
          </h2>
          <p>
            They sign in with <span className="font-medium">{created.email}</span> and this password, shown only now:
          </p>
          <p>
            <code data-testid="generated-password" className="rounded bg-white px-2 py-1 font-mono text-base text-slate-900 ring-1 ring-green-200">
              {created.password}
            </code>
          </p>
          <p>Give it to them through a channel you trust; they can change it under “Your account”.</p>
          <p>
            Or, instead of handing it over, <Link to={`/admin/people/${created.userId}`}>open {created.displayName}’s page</Link> and send them a link to set their own password.
          </p>
        </section>
      ) : null}

      <details open={actionData?.result?.status === "error"} className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <summary className="cursor-pointer px-4 py-3 text-sm font-semibold text-brand-700">Create an account</summary>
        <Form method="post" {...getFormProps(form)} className="space-y-4 border-t border-slate-100 p-4">
          <p className="text-sm text-slate-600">For staff, or a member you add by hand (members usually arrive through an invitation). A password is generated and shown once.</p>
          <FormAlert id={form.errorId} errors={form.errors} />
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField label="Email" type="email" field={fields.email} autoComplete="off" />
            <TextField label="Name" field={fields.displayName} autoComplete="off" />
            <SelectField label="Role" field={fields.role} options={ROLES.map((role) => ({ value: role, label: ROLE_NAMES[role] }))} />
          </div>
          <Button disabled={navigation.state === "submitting"}>Create account</Button>
        </Form>
      </details>

      <Form method="get" role="search" className="flex flex-wrap items-end gap-2">
        <label className="min-w-0 flex-1 space-y-1 text-sm">
          <span className="block font-medium">Search by name or email</span>
          <input
            type="search"
            name="q"
            defaultValue={page.search}
            maxLength={100}
            className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300"
          />
        </label>
        <Button variant="secondary">Search</Button>
        {page.search ? (
          <Link to="/admin/people" className="px-2 py-2 text-sm">
            Show everyone
          </Link>
        ) : null}
      </Form>

      {page.people.length === 0 ? (
        <p className="text-sm text-slate-600">{page.search ? `Nobody’s name or email contains “${page.search}”.` : "No accounts yet."}</p>
      ) : (
        <>
          {/* Cards on a phone, a table from a tablet up (it scrolls inside its own box if it must). */}
          <ul aria-label="People" className="space-y-3 sm:hidden">
            {page.people.map((person) => (
              <li key={person.id} className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link to={`/admin/people/${person.id}`} className="min-w-0 font-medium wrap-anywhere">
                    {person.displayName}
                  </Link>
                  <StatusBadge status={person.status} />
                </div>
                <p className="break-all text-slate-700">{person.email ?? "—"}</p>
                <p className="text-slate-600">
                  {person.role} · last seen <LastSeen lastSeen={person.lastSeen} />
                </p>
                <p className="text-slate-600">
                  Communities: <Communities person={person} />
                </p>
              </li>
            ))}
          </ul>
          <div className="hidden sm:block">
            <Table headers={["Name", "Email", "Role", "Status", "Last seen", "Communities"]}>
              {page.people.map((person) => (
                <tr key={person.id}>
                  <td className="min-w-36 px-4 py-2 font-medium wrap-anywhere">
                    <Link to={`/admin/people/${person.id}`}>{person.displayName}</Link>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-slate-700">{person.email ?? "—"}</td>
                  <td className="whitespace-nowrap px-4 py-2">{person.role}</td>
                  <td className="px-4 py-2">
                    <StatusBadge status={person.status} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-slate-700">
                    <LastSeen lastSeen={person.lastSeen} />
                  </td>
                  <td className="min-w-56 px-4 py-2 text-slate-700">
                    <Communities person={person} />
                  </td>
                </tr>
              ))}
            </Table>
          </div>
        </>
      )}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {page.paged ? <Link to={page.search ? `?q=${encodeURIComponent(page.search)}` : "/admin/people"}>First page</Link> : null}
        {page.next ? <Link to={page.next}>Next page</Link> : null}
      </nav>
    </main>
  );
}

type Person = ReturnType<typeof useLoaderData<typeof loader>>["people"][number];

function StatusBadge({ status }: { status: Person["status"] }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${STATUS_STYLE[status]}`}>{STATUS_NAMES[status]}</span>;
}

function LastSeen({ lastSeen }: { lastSeen: Person["lastSeen"] }) {
  return lastSeen ? <span title={`${lastSeen.exact} UTC`}>{lastSeen.relative}</span> : <>never</>;
}

/** The first few community names, and how many more. */
function Communities({ person }: { person: Person }) {
  if (person.communityCount === 0) return <>none</>;
  const more = person.communityCount - person.communities.length;
  return (
    <>
      {person.communities.map((c, index) => (
        <span key={c.slug}>
          {index > 0 ? " · " : ""}
          <Link to={`/c/${c.slug}`}>{c.name}</Link>
        </span>
      ))}
      {more > 0 ? ` and ${more} more` : ""}
    </>
  );
}

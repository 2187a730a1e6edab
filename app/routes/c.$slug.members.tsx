import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { changeMemberRole, communityHeader, getCommunityToManage, listMembers, removeMember } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { InviteFormSchema } from "#app/features/invitations/invite-schema.ts";
import { COMMUNITY_ROLE_LABEL, isCommunityRole, isRoleOffered } from "#app/features/communities/roles.ts";
import {
  invitationFunnel,
  inviteMembers,
  listInvitations,
  parseAttributes,
  resendInvitation,
  revokeInvitation,
  updateInvitation,
  type InviteReport,
} from "#app/features/invitations/invitations.server.ts";
import { deliverNow } from "#app/features/email/outbox.server.ts";
import { formatDayInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { siteOrigin } from "#app/lib/origin.server.ts";
import { actOn, withSubmission } from "#app/lib/form-action.server.ts";
import { orRespond, Refusal } from "#app/lib/refusal.ts";
import { passRetryAfter } from "#app/lib/retry-after.ts";
import { Button } from "#app/ui/button.tsx";
import { Disclosure } from "#app/ui/disclosure.tsx";
import { FormAlert, SelectField, TextAreaField, TextField } from "#app/ui/field.tsx";
import { LinkedText } from "#app/ui/linked-text.tsx";
import { Table } from "#app/ui/table.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = getDb();
  const slug = params.slug ?? "";
  const view = await orRespond(getCommunityToManage(db, user, slug));
  const zone = view.community.time_zone;
  const [members, invitations, funnel] = await Promise.all([
    listMembers(db, user, slug),
    listInvitations(db, view.community.id),
    invitationFunnel(db, view.community.id),
  ]);
  return {
    slug,
    name: view.community.name,
    header: communityHeader(view.community),
    phase: view.community.phase,
    funnel,
    members: members.map((m) => ({ ...m, joined: formatDayInZone(m.joined_at, zone) })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      note: i.note,
      source: i.source,
      nominated: i.nomination_id !== null,
      state: i.state,
      opened: i.opened_at !== null,
      sent: formatDayInZone(i.sent_at, zone),
    })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const db = getDb();
  const slug = params.slug ?? "";
  // Who may manage members is decided before what they sent is read.
  await orRespond(getCommunityToManage(db, user, slug));
  const formData = await request.formData();
  const invitationId = String(formData.get("invitationId"));
  const memberId = String(formData.get("userId"));
  const origin = { siteOrigin: siteOrigin(request) };
  const done = (notice: string) => ({ result: undefined, report: null, notice });
  return actOn(formData.get("intent"), {
    invite: () =>
      withSubmission(
        formData,
        InviteFormSchema,
        async (input, submission) => {
          const { outboxIds, ...report } = await inviteMembers(db, user, slug, { ...input, attributes: parseAttributes(input.attributes) }, origin);
          await deliverNow(db, outboxIds);
          // The addresses are cleared for the next batch; the role offered stays as chosen.
          return { result: submission.reply({ resetForm: true }), report, notice: null, role: input.role };
        },
        { failed: { report: null, notice: null } },
      ),
    "update-invitation": async () => {
      const role = String(formData.get("role"));
      if (!isRoleOffered(role)) throw new Refusal(400, "Choose the role offered.");
      const note = String(formData.get("note") ?? "");
      if (note.length > 2000) throw new Refusal(400, "Keep the note under 2,000 characters.");
      const resend = formData.get("resend") === "on";
      const { changed, outboxId } = await updateInvitation(db, user, slug, invitationId, { role, note, resend }, origin);
      if (outboxId) await deliverNow(db, [outboxId]);
      return done([changed ? "Invitation changed." : "Nothing was changed.", outboxId ? "It was sent again with a new link; the old one no longer works." : "It was not sent again; the link already sent still works."].join(" "));
    },
    revoke: async () => {
      await revokeInvitation(db, user, slug, invitationId);
      return done("Invitation withdrawn; its link no longer works.");
    },
    resend: async () => {
      await deliverNow(db, [await resendInvitation(db, user, slug, invitationId, origin)]);
      return done("Invitation sent again with a new link; the old one no longer works.");
    },
    "change-role": async () => {
      const role = String(formData.get("role"));
      if (!isCommunityRole(role)) throw new Refusal(400, "Choose a role.");
      await changeMemberRole(db, user, slug, memberId, role);
      return done("Role changed.");
    },
    remove: async () => {
      await removeMember(db, user, slug, memberId);
      return done("Member removed.");
    },
  });
}

// A 429 (the day's invitations are spent) says when to try again.
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Members of ${data.name} · Cohort` : "Cohort" }];

const STATE_LABEL = { pending: "Waiting", accepted: "Accepted", expired: "Expired", revoked: "Withdrawn" } as const;

export default function MembersPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const answered = actionData && "notice" in actionData ? actionData : undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: answered?.result,
    defaultValue: { role: actionData && "role" in actionData ? actionData.role : "participant" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteFormSchema }),
    shouldValidate: "onBlur",
  });
  const error = actionData && "error" in actionData ? actionData.error : null;
  return (
    <main id="main" className="mx-auto max-w-5xl space-y-8 px-4 py-10">
      <div>
        <CommunityHeader header={page.header} />
        <h1 className="mt-2 text-2xl font-bold tracking-tight">Members and invitations</h1>
      </div>
      {answered?.notice ? <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">{answered.notice}</p> : null}
      {error ? <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{error}</p> : null}

      <section aria-labelledby="funnel-heading">
        <h2 id="funnel-heading" className="text-lg font-semibold">Invitation funnel</h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-5">
          {(["sent", "opened", "accepted", "expired", "revoked"] as const).map((key) => (
            <div key={key} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <dt className="text-sm capitalize text-slate-600">{key === "revoked" ? "withdrawn" : key}</dt>
              <dd className="mt-1 text-2xl font-bold">{page.funnel[key]}</dd>
            </div>
          ))}
        </dl>
        {page.funnel.fromNominations.sent > 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            From nominations: {page.funnel.fromNominations.sent} sent, {page.funnel.fromNominations.accepted} accepted.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="invite-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="invite-heading" className="text-lg font-semibold">Invite people</h2>
        {answered?.report ? <InviteReportView report={answered.report} /> : null}
        <Form method="post" {...getFormProps(form)} className="mt-4 space-y-5">
          <input type="hidden" name="intent" value="invite" />
          <FormAlert id={form.errorId} errors={form.errors} />
          <TextAreaField label="Email addresses" field={fields.emails} rows={4} hint="One or many, separated by commas, spaces or new lines (up to 500 at once)." />
          <SelectField
            label="Role offered"
            field={fields.role}
            options={[
              { value: "participant", label: "Participant" },
              { value: "leader", label: "Discussion leader (can post prompts, pin and lock)" },
            ]}
          />
          <TextAreaField label="Personal note (optional)" field={fields.note} rows={3} hint="Shown in the email and on the invitation page." />
          <TextField label="Where you found them (optional)" field={fields.source} hint="A support ticket, a forum thread, an event." />
          <TextField label="Segment attributes (optional)" field={fields.attributes} hint="For example: segment=enterprise, region=EU" />
          <Button disabled={navigation.state === "submitting"}>Send invitations</Button>
        </Form>
      </section>

      <section aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" className="text-lg font-semibold">Invitations</h2>
        {page.invitations.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No invitations yet.</p>
        ) : (
          <Table headers={["Email", "Role", "Sent", "State", ""]}>
                {page.invitations.map((invitation) => (
                  <tr key={invitation.id}>
                    <td className="px-4 py-2">
                      {invitation.email}
                      {invitation.source ? (
                        <span className="block text-xs text-slate-500">
                          <LinkedText text={invitation.source} />
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2">
                      {COMMUNITY_ROLE_LABEL[invitation.role]}
                      {invitation.state === "pending" ? <ChangeInvitation invitation={invitation} /> : null}
                    </td>
                    <td className="px-4 py-2">{invitation.sent}</td>
                    <td className="px-4 py-2">
                      {STATE_LABEL[invitation.state]}
                      {invitation.state === "pending" && invitation.opened ? " (opened)" : ""}
                    </td>
                    <td className="px-4 py-2">
                      {invitation.state !== "accepted" ? (
                        <div className="flex gap-2">
                          <Form method="post">
                            <input type="hidden" name="invitationId" value={invitation.id} />
                            <button name="intent" value="resend" className="text-brand-700 hover:underline">Resend<span className="sr-only"> to {invitation.email}</span></button>
                          </Form>
                          {invitation.state === "pending" ? (
                            <ConfirmDanger
                              toggle="Withdraw…"
                              name={`invitation to ${invitation.email}`}
                              consequence={`The link sent to ${invitation.email} stops working at once. Resend makes a new one later if you change your mind.`}
                              intent="revoke"
                              field={["invitationId", invitation.id]}
                              confirm="Withdraw"
                            />
                          ) : null}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
          </Table>
        )}
      </section>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="text-lg font-semibold">Members ({page.members.length})</h2>
        <Table headers={["Name", "Role", "Joined", "Found via", "Segments", ""]}>
              {page.members.map((member) => (
                <tr key={member.user_id}>
                  <td className="px-4 py-2">
                    <PersonLink id={member.user_id} name={member.display_name} />
                    <span className="block text-xs text-slate-500">{member.email}</span>
                  </td>
                  <td className="px-4 py-2">
                    <Form method="post" className="flex items-center gap-2">
                      <input type="hidden" name="userId" value={member.user_id} />
                      <label className="sr-only" htmlFor={`role-${member.user_id}`}>Role of {member.display_name}</label>
                      <select id={`role-${member.user_id}`} name="role" defaultValue={member.role} className="rounded border-slate-300 text-sm ring-1 ring-slate-300">
                        <option value="participant">Participant</option>
                        <option value="leader">Discussion leader</option>
                        <option value="moderator">Moderator</option>
                      </select>
                      <button name="intent" value="change-role" className="text-brand-700 hover:underline">Save<span className="sr-only"> role of {member.display_name}</span></button>
                    </Form>
                  </td>
                  <td className="px-4 py-2">{member.joined}</td>
                  <td className="px-4 py-2">{member.source ? <LinkedText text={member.source} /> : "—"}</td>
                  <td className="px-4 py-2">
                    {Object.entries(member.attributes).map(([key, value]) => (
                      <span key={key} className="mr-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs">{key}={value}</span>
                    ))}
                  </td>
                  <td className="px-4 py-2">
                    <ConfirmDanger
                      toggle="Remove…"
                      name={member.display_name}
                      consequence={`${member.display_name} loses access to this community and its notifications. What they wrote stays, under their name.`}
                      intent="remove"
                      field={["userId", member.user_id]}
                      confirm="Remove"
                    />
                  </td>
                </tr>
              ))}
        </Table>
      </section>
    </main>
  );
}

function InviteReportView({ report }: { report: InviteReport }) {
  const lines: [string, string[]][] = [
    ["Invited", report.invited],
    ["Not valid email addresses", report.invalid],
    ["Listed more than once (invited once)", report.duplicates],
    ["Already members", report.alreadyMembers],
    ["Invited again (their earlier invitation had been withdrawn or had expired)", report.reinvited],
    ["Already invited and still waiting (change or resend that invitation below)", report.alreadyInvited],
  ];
  return (
    <div role="status" className="mt-4 space-y-1 rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
      {lines
        .filter(([, list]) => list.length > 0)
        .map(([label, list]) => (
          <p key={label}>
            <span className="font-semibold">{label} ({list.length}):</span> {list.join(", ")}
          </p>
        ))}
    </div>
  );
}

/** A destructive row action: the toggle opens what will happen and the one button that does it (Escape closes it). */
function ConfirmDanger({ toggle, name, consequence, intent, field, confirm }: { toggle: string; name: string; consequence: string; intent: string; field: [string, string]; confirm: string }) {
  return (
    <Disclosure summary={toggle} label={`${toggle.replace("…", "")} ${name}…`} summaryClassName="cursor-pointer text-red-700 hover:underline">
      <Form method="post" className="mt-2 w-64 space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
        <p className="text-slate-800">{consequence}</p>
        <input type="hidden" name={field[0]} value={field[1]} />
        <Button name="intent" value={intent} variant="danger" className="px-3 py-1">
          {confirm}
          <span className="sr-only"> {name}</span>
        </Button>
      </Form>
    </Disclosure>
  );
}

/** Change a waiting invitation's role and note; it is sent again only when asked. */
function ChangeInvitation({ invitation }: { invitation: { id: string; email: string; role: "participant" | "leader"; note: string | null } }) {
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-sm text-brand-700">
        Change<span className="sr-only"> the invitation to {invitation.email}</span>
      </summary>
      <Form method="post" className="mt-2 w-64 space-y-2">
        <input type="hidden" name="invitationId" value={invitation.id} />
        <label className="block text-sm">
          <span className="font-medium">Role for {invitation.email}</span>
          <select name="role" defaultValue={invitation.role} className="mt-1 block w-full rounded border-slate-300 text-sm ring-1 ring-slate-300">
            <option value="participant">Participant</option>
            <option value="leader">Discussion leader</option>
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium">Note for {invitation.email}</span>
          <textarea name="note" rows={3} maxLength={2000} defaultValue={invitation.note ?? ""} className="mt-1 block w-full rounded text-sm ring-1 ring-slate-300" />
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="resend" className="mt-1 h-4 w-4" />
          <span>Send it again now with a new link (the old link stops working)</span>
        </label>
        <p className="text-xs text-slate-500">Without that, nothing is sent: the link they have shows the new role and note.</p>
        <button name="intent" value="update-invitation" className="rounded bg-brand-600 px-3 py-1 text-sm font-semibold text-white">
          Save changes<span className="sr-only"> to the invitation to {invitation.email}</span>
        </button>
      </Form>
    </details>
  );
}

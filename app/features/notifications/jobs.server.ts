import type { Kysely } from "kysely";
import { embed, joinNamed, named, storedNamedText, type NamedText } from "#app/lib/named-text.ts";
import type { Database, NotificationKind } from "#db/schema.ts";
import { DAY, HOUR, now } from "#app/lib/clock.ts";
import { formatCountdown, formatInZone, isoDay } from "#app/lib/dates.ts";
import { publicOrigin } from "#app/lib/origin.server.ts";
import { queueMemberEmails } from "./email.server.ts";
import { EMAIL_KINDS } from "./kinds.ts";
import { notifyMembers } from "./notifications.server.ts";
import { count } from "#app/lib/plural.ts";

type Db = Kysely<Database>;

/** Digests go out from this hour (UTC) each day. */
export const DIGEST_HOUR_UTC = 7;
const DIGEST_LOOKBACK = 7 * DAY;

/** How long before a boundary its reminder goes out: a day before opening, two days before closing. */
export const OPENS_REMINDER_AHEAD = DAY;
export const CLOSES_REMINDER_AHEAD = 48 * HOUR;

/**
 * The reminders due now for a community's dates, with their text worked out from those dates
 * at this moment: a close 19 minutes away says "closes in 19 minutes", never "48 hours", and a
 * moment already past gets no reminder at all.
 */
export function dueReminders(c: { name: string; starts_at: number; ends_at: number; time_zone: string }, at: number) {
  const reminders: { kind: "opens-tomorrow" | "closes-soon"; boundaryAt: number; title: NamedText; body: string }[] = [];
  if (c.starts_at > at && c.starts_at <= at + OPENS_REMINDER_AHEAD && c.ends_at > c.starts_at) {
    reminders.push({
      kind: "opens-tomorrow",
      boundaryAt: c.starts_at,
      title: named`${c.name} opens ${formatCountdown(c.starts_at, at)}`,
      body: `It opens on ${formatInZone(c.starts_at, c.time_zone)}. Your first prompt will be waiting.`,
    });
  }
  if (c.starts_at <= at && c.ends_at > at && c.ends_at <= at + CLOSES_REMINDER_AHEAD) {
    reminders.push({
      kind: "closes-soon",
      boundaryAt: c.ends_at,
      title: named`${c.name} closes ${formatCountdown(c.ends_at, at)}`,
      body: `It closes on ${formatInZone(c.ends_at, c.time_zone)}. Anything you still want to say or vote for, now is the time.`,
    });
  }
  return reminders;
}

/**
 * Reminders that follow the time box: "opens in 23 hours" in the day before a community
 * opens, "closes in 2 days" (or "in 19 minutes") in its last two days, their text computed
 * from the community's dates when they are sent. Each is claimed by inserting its row
 * (community, kind, the moment it announces) first, in the same transaction as the
 * notifications, so however many processes run this at once, members hear it once; and when
 * the dates move after a reminder went out, the reminder for the new moment still goes out.
 */
export async function sendReminders(db: Db): Promise<{ sent: string[] }> {
  const at = now();
  const due = await db
    .selectFrom("communities")
    .select(["communities.id", "communities.slug", "communities.name", "communities.starts_at", "communities.ends_at", "communities.time_zone"])
    .where("communities.published_at", "is not", null)
    .where("communities.archived_at", "is", null)
    .where("communities.ends_at", ">", at)
    .where((eb) =>
      eb.or([
        eb.and([eb("communities.starts_at", ">", at), eb("communities.starts_at", "<=", at + OPENS_REMINDER_AHEAD)]),
        eb.and([eb("communities.starts_at", "<=", at), eb("communities.ends_at", "<=", at + CLOSES_REMINDER_AHEAD)]),
      ]),
    )
    // Those whose reminder for these very dates already went out are done.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("time_box_reminders as r")
            .select("r.community_id")
            .whereRef("r.community_id", "=", "communities.id")
            .where((r) =>
              r.or([
                r.and([r("r.kind", "=", "opens-tomorrow"), r("r.boundary_at", "=", r.ref("communities.starts_at")), r("communities.starts_at", ">", at)]),
                r.and([r("r.kind", "=", "closes-soon"), r("r.boundary_at", "=", r.ref("communities.ends_at")), r("communities.starts_at", "<=", at)]),
              ]),
            ),
        ),
      ),
    )
    .limit(500)
    .execute();
  const sent: string[] = [];
  for (const c of due) {
    for (const reminder of dueReminders(c, at)) {
      const claimed = await db.transaction().execute(async (trx) => {
        const claim = await trx
          .insertInto("time_box_reminders")
          .values({ community_id: c.id, kind: reminder.kind, boundary_at: reminder.boundaryAt, sent_at: at, recipients: 0 })
          .onConflict((conflict) => conflict.columns(["community_id", "kind", "boundary_at"]).doNothing())
          .executeTakeFirst();
        if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await notifyMembers(trx, c.id, { kind: "community.reminder", title: reminder.title, body: reminder.body, link: `/c/${c.slug}` });
        const members = await trx.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", c.id).executeTakeFirstOrThrow();
        await trx
          .updateTable("time_box_reminders")
          .set({ recipients: Number(members.n) })
          .where("community_id", "=", c.id)
          .where("kind", "=", reminder.kind)
          .where("boundary_at", "=", reminder.boundaryAt)
          .execute();
        return true;
      });
      if (claimed) sent.push(`${c.slug}:${reminder.kind}`);
    }
  }
  return { sent };
}

/**
 * The daily digest: for each member, the notifications of the kinds they take as a digest
 * that are due, unread and not yet emailed, in one email. Claimed per member and day by the
 * digests row, so two processes never send the same digest.
 */
export async function sendDigests(db: Db): Promise<{ sent: number }> {
  const at = now();
  const day = isoDay(at);
  if (new Date(at).getUTCHours() < DIGEST_HOUR_UTC) return { sent: 0 };
  const rows = await db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .leftJoin("notification_preferences as p", (join) => join.onRef("p.user_id", "=", "notifications.user_id").onRef("p.kind", "=", "notifications.kind"))
    .leftJoin("digests", (join) => join.onRef("digests.user_id", "=", "notifications.user_id").on("digests.day", "=", day))
    .select(["notifications.id", "notifications.user_id", "notifications.kind", "notifications.title", "notifications.link", "users.email", "users.display_name", "p.mode"])
    .where("notifications.emailed_at", "is", null)
    .where("notifications.read_at", "is", null)
    .where("notifications.created_at", "<=", at)
    .where("notifications.created_at", ">", at - DIGEST_LOOKBACK)
    .where("digests.user_id", "is", null)
    .orderBy("notifications.created_at")
    .limit(5000)
    .execute();
  const byMember = new Map<string, typeof rows>();
  for (const row of rows) {
    if ((row.mode ?? EMAIL_KINDS[row.kind as NotificationKind].defaultMode) !== "digest") continue;
    byMember.set(row.user_id, [...(byMember.get(row.user_id) ?? []), row]);
  }
  let sent = 0;
  for (const [userId, items] of byMember) {
    const claimed = await db.transaction().execute(async (trx) => {
      const claim = await trx
        .insertInto("digests")
        .values({ user_id: userId, day, sent_at: at, items: items.length })
        .onConflict((conflict) => conflict.columns(["user_id", "day"]).doNothing())
        .executeTakeFirst();
      if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const first = items[0]!;
      const lines = items.map((item) => named`- ${embed(storedNamedText(item.title))}${item.link ? `\n  ${publicOrigin()}${item.link}` : ""}\n`);
      await queueMemberEmails(trx, [{
        to: { id: userId, email: first.email },
        subject: named`Your Cohort digest: ${count(items.length, "update")}`,
        text: named`Hello ${first.display_name},\n\nHere is what happened since your last digest:\n\n${embed(joinNamed(lines))}`,
      }]);
      await trx.updateTable("notifications").set({ emailed_at: at }).where("id", "in", items.map((i) => i.id)).execute();
      return true;
    });
    if (claimed) sent++;
  }
  return { sent };
}

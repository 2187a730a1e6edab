import { createHmac, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, WebhookEvent } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { MINUTE, HOUR, now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { env } from "#app/lib/env.server.ts";
import { isForbiddenAddress, parseAllowHosts, postOutbound } from "#app/lib/outbound.server.ts";

type Db = Kysely<Database>;

export const WEBHOOK_EVENTS: Record<WebhookEvent, string> = {
  "suggestion.created": "A suggestion is created",
  "suggestion.status_changed": "A suggestion's status changes",
};
/** Waits before each retry; after the last, the delivery is given up. */
export const BACKOFF_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR];
const CLAIM_MS = 2 * MINUTE;
const TIMEOUT_MS = 10_000;

/** The signature a receiver recomputes: HMAC-SHA256 of "timestamp.body" with the webhook's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export async function createWebhook(
  db: Db,
  actor: Actor,
  input: { url: string; events: WebhookEvent[] },
  options: { allowHosts?: string[] } = {},
): Promise<{ id: string; secret: string }> {
  assertAllowed(actor, "admin.manage");
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new Refusal(400, "Enter a full web address, starting with https://");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Refusal(400, "Webhooks go to http:// or https:// addresses.");
  if (url.username || url.password) throw new Refusal(400, "Leave the user name and password out of the address; the signature proves who sends.");
  // Sending decides where a request may go (app/lib/outbound.server.ts); an address that is
  // internal on its face is refused here already, so the admin hears it at once.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const internal = host === "localhost" || host.endsWith(".localhost") || (/^[\d.]+$|:/.test(host) && isForbiddenAddress(host));
  const allowHosts = options.allowHosts ?? parseAllowHosts(env().WEBHOOK_ALLOW_HOSTS);
  if (internal && !allowHosts.includes(host.toLowerCase())) {
    throw new Refusal(400, "That address is inside this network. Webhooks go to public addresses unless WEBHOOK_ALLOW_HOSTS names the host.");
  }
  if (!input.events.length) throw new Refusal(400, "Choose at least one event.");
  const id = newId();
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  await db.insertInto("webhooks").values({ id, url: url.toString(), secret, events: JSON.stringify(input.events), active: 1, created_by: actor.id, created_at: now() }).execute();
  return { id, secret };
}

export async function removeWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  assertAllowed(actor, "admin.manage");
  await db.deleteFrom("webhooks").where("id", "=", id).execute();
}

/** Queue an event for every active webhook that wants it, in the caller's transaction. */
export async function enqueueWebhookEvent(db: Db, event: WebhookEvent, data: object): Promise<void> {
  const hooks = await db.selectFrom("webhooks").select(["id", "events"]).where("active", "=", 1).execute();
  const at = now();
  const wanting = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
  if (!wanting.length) return;
  await db
    .insertInto("webhook_deliveries")
    .values(
      wanting.map((hook) => {
        const id = newId();
        return {
          id,
          webhook_id: hook.id,
          event,
          payload: JSON.stringify({ id, event, created_at: new Date(at).toISOString(), data }),
          attempts: 0,
          next_attempt_at: at,
          claimed_until: null,
          delivered_at: null,
          last_status: null,
          last_response: null,
          created_at: at,
        };
      }),
    )
    .execute();
}

/**
 * Send the deliveries that are due. Each is claimed first (claimed_until moves only where
 * no one holds it), so several processes never post the same delivery at once; a failure
 * schedules the next attempt by BACKOFF_MS and records the status and a short excerpt.
 * Where a delivery may go is decided by postOutbound at send time (no internal addresses
 * unless `allowHosts`, from WEBHOOK_ALLOW_HOSTS, names the host; no redirects).
 */
export async function deliverWebhooks(
  db: Db,
  options: { allowHosts?: string[] } = {},
): Promise<{ delivered: number; failed: number }> {
  const allowHosts = options.allowHosts ?? parseAllowHosts(env().WEBHOOK_ALLOW_HOSTS);
  const at = now();
  const due = await db
    .selectFrom("webhook_deliveries")
    .innerJoin("webhooks", "webhooks.id", "webhook_deliveries.webhook_id")
    .select(["webhook_deliveries.id", "webhook_deliveries.event", "webhook_deliveries.payload", "webhook_deliveries.attempts", "webhooks.url", "webhooks.secret"])
    .where("webhook_deliveries.delivered_at", "is", null)
    .where("webhook_deliveries.next_attempt_at", "<=", at)
    .where((eb) => eb.or([eb("webhook_deliveries.claimed_until", "is", null), eb("webhook_deliveries.claimed_until", "<", at)]))
    .orderBy("webhook_deliveries.next_attempt_at")
    .limit(20)
    .execute();
  let delivered = 0;
  let failed = 0;
  for (const delivery of due) {
    // Each claim from the time it is taken: earlier sends may have waited for their timeouts.
    const claimedAt = now();
    const claim = await db
      .updateTable("webhook_deliveries")
      .set({ claimed_until: claimedAt + CLAIM_MS })
      .where("id", "=", delivery.id)
      .where("delivered_at", "is", null)
      .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", claimedAt)]))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) === 0) continue;
    const timestamp = String(Math.floor(claimedAt / 1000));
    const { status, excerpt: response } = await postOutbound(delivery.url, {
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Cohort-Webhooks/1",
        "X-Cohort-Event": delivery.event,
        "X-Cohort-Delivery": delivery.id,
        "X-Cohort-Timestamp": timestamp,
        "X-Cohort-Signature": signature(delivery.secret, timestamp, delivery.payload),
      },
      body: delivery.payload,
      timeoutMs: TIMEOUT_MS,
      allowHosts,
    });
    const ok = status !== null && status >= 200 && status < 300;
    const attempts = delivery.attempts + 1;
    await db
      .updateTable("webhook_deliveries")
      .set({
        attempts,
        last_status: status,
        last_response: response,
        claimed_until: null,
        delivered_at: ok ? now() : null,
        next_attempt_at: ok ? null : attempts <= BACKOFF_MS.length ? now() + BACKOFF_MS[attempts - 1]! : null,
      })
      .where("id", "=", delivery.id)
      .execute();
    if (ok) delivered++;
    else failed++;
  }
  return { delivered, failed };
}

/** Webhooks and their latest deliveries, for the admin page. */
export async function listWebhooks(db: Db, actor: Actor) {
  assertAllowed(actor, "admin.manage");
  const [hooks, deliveries] = await Promise.all([
    db.selectFrom("webhooks").selectAll().orderBy("created_at", "desc").execute(),
    db.selectFrom("webhook_deliveries").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(50).execute(),
  ]);
  return { hooks: hooks.map((h) => ({ ...h, events: JSON.parse(h.events) as WebhookEvent[] })), deliveries };
}

/** Try a failed or given-up delivery again now. */
export async function retryDelivery(db: Db, actor: Actor, id: string): Promise<void> {
  assertAllowed(actor, "admin.manage");
  await db.updateTable("webhook_deliveries").set({ next_attempt_at: now(), claimed_until: null }).where("id", "=", id).where("delivered_at", "is", null).execute();
}

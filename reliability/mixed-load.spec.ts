import { expect, test } from "@playwright/test";
import { BASE_URL, withDatabase } from "../e2e/support.ts";
import { buildWorld } from "./world.ts";

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);

test(`a minute of mixed reads and writes on both server processes ends with zero errors`, async () => {
  test.setTimeout((SECONDS + 60) * 1000);
  const world = await withDatabase((db) => buildWorld(db, { members: 12, slug: "mixed-load" }));
  const base = `/c/mixed-load`;
  const lastReply = new Map<string, number>();
  const voted = new Set<string>();
  const errors: string[] = [];
  const counts: Record<string, number> = {};
  const deadline = Date.now() + SECONDS * 1000;
  let n = 0;

  const call = async (what: string, path: string, cookie: string, form?: Record<string, string>, ok: number[] = [200]) => {
    counts[what] = (counts[what] ?? 0) + 1;
    try {
      const response = await fetch(`${BASE_URL}${path}`, {
        method: form ? "POST" : "GET",
        redirect: "manual",
        headers: { Cookie: cookie, ...(form ? { Origin: BASE_URL, "Content-Type": "application/x-www-form-urlencoded" } : {}) },
        body: form ? new URLSearchParams(form) : undefined,
      });
      await response.arrayBuffer();
      if (!ok.includes(response.status)) errors.push(`${what} ${path} → ${response.status}`);
    } catch (error) {
      errors.push(`${what} ${path} → ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const worker = async () => {
    while (Date.now() < deadline) {
      const i = n++;
      const member = world.members[i % world.members.length]!;
      const roll = i % 20;
      if (roll < 8) await call("community page", base, member.cookie);
      else if (roll < 12) await call("thread page", `${base}/t/${world.threadId}`, member.cookie);
      else if (roll < 16) await call("ideas page", `${base}/ideas`, member.cookie);
      else if (roll < 19) {
        const idea = world.ideas[(i * 7) % world.ideas.length]!;
        const key = `${member.id}|${idea}`;
        const intent = voted.has(key) ? "unvote" : "vote";
        if (intent === "vote") voted.add(key);
        else voted.delete(key);
        await call("vote", `${base}/ideas`, member.cookie, { intent, ideaId: idea, via: "js" });
      } else if (Date.now() - (lastReply.get(member.id) ?? 0) > 6_000) {
        lastReply.set(member.id, Date.now());
        await call("reply", `${base}/t/${world.threadId}`, member.cookie, { intent: "reply", body: `Reply ${i} under load.` }, [302]);
      } else {
        await call("community page", base, member.cookie);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  console.log(`mixed load for ${SECONDS} s: ${JSON.stringify(counts)}, errors: ${errors.length}`);
  expect(errors.slice(0, 20)).toEqual([]);
  expect(n).toBeGreaterThan(SECONDS * 20);
});

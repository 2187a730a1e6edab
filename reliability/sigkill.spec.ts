import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { integrityCheck } from "#db/backup.ts";
import { openSqlite } from "#db/client.ts";
import { migrateToLatest } from "#db/migrate.ts";
import { buildWorld } from "./world.ts";

const PORT = 3330;
const FILE = "reliability/.data/sigkill.db";

function startServer(): Promise<ChildProcess> {
  // One process (no cluster), run by node itself, so SIGKILL hits the process that writes.
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_URL: FILE, WEB_CONCURRENCY: "1", SEED_DEMO: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) return resolve(child);
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) return reject(new Error("server did not start"));
      setTimeout(poll, 100);
    };
    void poll();
  });
}

test("SIGKILL in the middle of writes loses no acknowledged write and leaves the database sound", async () => {
  rmSync("reliability/.data", { recursive: true, force: true });
  mkdirSync("reliability/.data", { recursive: true });
  const setup = openSqlite(FILE);
  await migrateToLatest(setup.db);
  const world = await buildWorld(setup.db, { members: 20, slug: "sigkill" });
  await setup.close();

  const pending = world.members.flatMap((member) => world.ideas.map((idea) => ({ member, idea })));
  const acknowledged: { user: string; idea: string }[] = [];
  for (let round = 0; round < 3; round++) {
    const server = await startServer();
    let stop = false;
    const worker = async () => {
      while (!stop && pending.length) {
        const { member, idea } = pending.shift()!;
        try {
          const response = await fetch(`http://127.0.0.1:${PORT}/c/sigkill/ideas`, {
            method: "POST",
            headers: { Cookie: member.cookie, Origin: `http://127.0.0.1:${PORT}`, "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ intent: "vote", ideaId: idea, via: "js" }),
          });
          if (response.status === 200) acknowledged.push({ user: member.id, idea });
        } catch {
          // the kill cut this one off: not acknowledged, so it may or may not be there
        }
      }
    };
    const exited = new Promise((resolve) => server.once("exit", resolve));
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 400 + round * 200));
    server.kill("SIGKILL");
    await exited;
    stop = true;
    await Promise.all(workers);

    expect(integrityCheck(FILE)).toBe("ok");
    const check = openSqlite(FILE);
    const rows = await check.db.selectFrom("votes").select(["user_id", "idea_id"]).execute();
    await check.close();
    const stored = new Set(rows.map((r) => `${r.user_id}|${r.idea_id}`));
    const lost = acknowledged.filter((a) => !stored.has(`${a.user}|${a.idea}`));
    expect(lost, `round ${round}: acknowledged votes missing after SIGKILL`).toEqual([]);
  }
  expect(acknowledged.length).toBeGreaterThan(20);
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "#db/client.ts";
import { signIn } from "#app/features/auth/accounts.server.ts";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "cohort-cli-"));
const databaseUrl = join(dir, "cli.db");

function createUser(args: string[]) {
  return run("node_modules/.bin/tsx", ["scripts/create-user.ts", ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run user:create", () => {
  it("creates a staff account with a generated password that signs in", async () => {
    const result = await createUser(["--email", "Ada@Example.com", "--name", "Ada", "--role", "admin"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Created admin Ada <ada@example.com>");
    const password = /Password: (\S+)/.exec(result.stdout)?.[1];
    expect(password).toBeTruthy();

    const handle = openSqlite(databaseUrl);
    try {
      const user = await handle.db.selectFrom("users").selectAll().where("email", "=", "ada@example.com").executeTakeFirstOrThrow();
      expect(user.role).toBe("admin");
      await expect(signIn(handle.db, { email: "ada@example.com", password: password! }, { clientAddress: "127.0.0.1" })).resolves.toHaveProperty("token");
    } finally {
      await handle.close();
    }
  });

  it("uses a given password and refuses an email that exists", async () => {
    const first = await createUser(["--email", "bo@example.com", "--name", "Bo", "--role", "moderator", "--password", "given password"]);
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("Password:");
    const again = await createUser(["--email", "bo@example.com", "--name", "Bo", "--password", "given password"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
  });

  it("explains bad arguments", async () => {
    const result = await createUser(["--email", "not-an-email", "--name", "X", "--role", "king"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--email");
    expect(result.stderr).toContain("--role");
    expect(result.stderr).toContain("Usage:");
  });
});

import { describe, expect, it } from "vitest";
import { act, actForScript, actOn, parseForm, UNKNOWN_INTENT, withSubmission } from "./form-action.server.ts";
import { Refusal } from "./refusal.ts";
import { z } from "./zod.ts";

/** What `data()` carries: the body and the response init, as Remix reads them. */
function answer(value: unknown) {
  const { data: body, init } = value as { data: unknown; init?: ResponseInit };
  return { body, status: init?.status ?? 200, headers: new Headers(init?.headers) };
}

async function thrown(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error("expected the action to throw");
    },
    (error: unknown) => error,
  );
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("act", () => {
  it("answers with the work's own answer when nothing is refused", async () => {
    expect(await act(async () => ({ saved: true }))).toEqual({ saved: true });
  });

  it("turns a refusal into { error } with its status, and no Retry-After unless it says when", async () => {
    const refused = answer(await act(() => Promise.reject(new Refusal(409, "Already closed."))));
    expect(refused.body).toEqual({ error: "Already closed." });
    expect(refused.status).toBe(409);
    expect(refused.headers.has("Retry-After")).toBe(false);
  });

  it("sends Retry-After with a 429 that says when to try again", async () => {
    const refused = answer(await act(() => Promise.reject(new Refusal(429, "Too many.", { retryAfterSeconds: 90 }))));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("90");
    expect(refused.body).toEqual({ error: "Too many." });
  });

  it("throws the not-found page for a 404, with the refusal's message", async () => {
    const error = await thrown(act(() => Promise.reject(new Refusal(404, "There is no such community."))));
    expect(error).toBeInstanceOf(Response);
    expect((error as Response).status).toBe(404);
    expect(await (error as Response).text()).toBe("There is no such community.");
  });

  it("lets anything that is not a refusal through (a redirect thrown by a guard, a bug)", async () => {
    const bug = new TypeError("boom");
    expect(await thrown(act(() => Promise.reject(bug)))).toBe(bug);
    const redirect = new Response(null, { status: 302, headers: { Location: "/login" } });
    expect(await thrown(act(() => Promise.reject(redirect)))).toBe(redirect);
  });
});

describe("parseForm", () => {
  const Schema = z.object({ title: z.string().min(3, "Give it a title of at least 3 characters."), body: z.string().min(1, "Write something.") });

  it("reads a form into the schema's output", () => {
    expect(parseForm(Schema, form({ title: "Hello", body: "World" }))).toEqual({ title: "Hello", body: "World" });
  });

  it("refuses a form that does not fit with 400 and every message, through act", async () => {
    const refused = answer(await act(async () => parseForm(Schema, form({ title: "Hi", body: "" }))));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: "Give it a title of at least 3 characters. Write something." });
  });
});

describe("actOn", () => {
  const intents = (ran: string[]) => ({
    save: async () => {
      ran.push("save");
      return { saved: true };
    },
    remove: async () => {
      ran.push("remove");
      throw new Refusal(403, "Only the author may remove it.");
    },
  });

  it("runs the named intent", async () => {
    const ran: string[] = [];
    expect(await actOn("save", intents(ran))).toEqual({ saved: true });
    expect(ran).toEqual(["save"]);
  });

  it("answers an intent's refusal as act does", async () => {
    const refused = answer(await actOn("remove", intents([])));
    expect(refused).toMatchObject({ status: 403, body: { error: "Only the author may remove it." } });
  });

  it("refuses an intent it does not know with 400 and runs nothing: no intent falls through to a default", async () => {
    for (const intent of ["create", "", null, "toString", "__proto__", "constructor"]) {
      const ran: string[] = [];
      const refused = answer(await actOn(intent, intents(ran)));
      expect(refused).toMatchObject({ status: 400, body: { error: UNKNOWN_INTENT } });
      expect(ran).toEqual([]);
    }
  });
});

describe("withSubmission (conform)", () => {
  const Schema = z.object({ email: z.email("Enter an email address."), password: z.string().min(8, "At least 8 characters.") });

  it("sends the field errors back to their fields with 400, the password hidden, and runs nothing", async () => {
    let ran = false;
    const outcome = answer(
      await withSubmission(
        form({ email: "not an email", password: "short" }),
        Schema,
        async () => {
          ran = true;
          return "done";
        },
        { hideFields: ["password"], failed: { sent: null } },
      ),
    );
    expect(ran).toBe(false);
    expect(outcome.status).toBe(400);
    const body = outcome.body as { sent: null; result: { status: string; error: Record<string, string[]>; initialValue: Record<string, unknown> } };
    expect(body.sent).toBeNull();
    expect(body.result.status).toBe("error");
    expect(body.result.error.email).toEqual(["Enter an email address."]);
    expect(body.result.error.password).toEqual(["At least 8 characters."]);
    expect(body.result.initialValue).toEqual({ email: "not an email" });
  });

  it("answers with run's answer on success, given the parsed value", async () => {
    const outcome = await withSubmission(form({ email: "ada@example.com", password: "long enough" }), Schema, async (input) => ({ signedIn: input.email }));
    expect(outcome).toEqual({ signedIn: "ada@example.com" });
  });

  it("shows a refusal as the form's error, with its status and Retry-After", async () => {
    const outcome = answer(
      await withSubmission(
        form({ email: "ada@example.com", password: "long enough" }),
        Schema,
        async () => {
          throw new Refusal(429, "Too many sign-in attempts.", { retryAfterSeconds: 600 });
        },
        { hideFields: ["password"] },
      ),
    );
    expect(outcome.status).toBe(429);
    expect(outcome.headers.get("Retry-After")).toBe("600");
    const body = outcome.body as { result: { error: Record<string, string[]>; initialValue: Record<string, unknown> } };
    expect(body.result.error[""]).toEqual(["Too many sign-in attempts."]);
    expect(body.result.initialValue).not.toHaveProperty("password");
  });

  it("throws the not-found page for a 404 refusal", async () => {
    const error = await thrown(
      withSubmission(form({ email: "ada@example.com", password: "long enough" }), Schema, async () => {
        throw new Refusal(404, "That link is not valid.");
      }),
    );
    expect((error as Response).status).toBe(404);
  });
});

describe("actForScript", () => {
  it("answers JSON, a refusal's message and Retry-After included, a 404 too (there is no page to show)", async () => {
    const ok = await actForScript(async () => ({ image: { id: "i1" } }));
    expect(await ok.json()).toEqual({ image: { id: "i1" } });
    const limited = await actForScript(() => Promise.reject(new Refusal(429, "Slow down.", { retryAfterSeconds: 30 })));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("30");
    expect(await limited.json()).toEqual({ error: "Slow down." });
    const missing = await actForScript(() => Promise.reject(new Refusal(404, "No such community.")));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "No such community." });
  });
});

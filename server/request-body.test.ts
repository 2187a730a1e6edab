import { describe, expect, test } from "vitest";
import { bodyLimitFor, FORM_BODY_LIMIT, isReadableForm, refuseTarget } from "./request-body.ts";

describe("refusals before Remix", () => {
  test("an undecodable path and a ?_data request are refused with a short 400; others pass", () => {
    expect(refuseTarget("/c/%FF")?.status).toBe(400);
    expect(refuseTarget("/%")?.status).toBe(400);
    expect(refuseTarget("/?_data=root")?.message).toMatch(/_data/);
    expect(refuseTarget("/c/x?a=1&_data=routes/c.$slug")?.status).toBe(400);
    expect(refuseTarget("/c/caf%C3%A9?q=%FF")).toBeNull();
    expect(refuseTarget("/login.data")).toBeNull();
  });

  test("forms get the form limit; only forms Remix can read pass", async () => {
    expect(bodyLimitFor("/login")).toBe(FORM_BODY_LIMIT);
    expect(await isReadableForm("application/x-www-form-urlencoded", Buffer.from("a=b"))).toBe(true);
    expect(await isReadableForm("application/json", Buffer.from("{}"))).toBe(false);
    expect(await isReadableForm("multipart/form-data; boundary=zzz", Buffer.from("--abc\r\n\r\n"))).toBe(false);
  });
});

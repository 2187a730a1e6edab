import { describe, expect, test } from "vitest";
import { routedTarget } from "./plain-link.tsx";

const ORIGIN = "http://cohort.test";
function click(href: string, { attributes = [] as string[], target = "", ...event }: Partial<Record<"button", number>> & Partial<Record<"metaKey" | "ctrlKey" | "shiftKey" | "altKey" | "defaultPrevented", boolean>> & { attributes?: string[]; target?: string } = {}) {
  const anchor = { href: new URL(href, `${ORIGIN}/c/x/t/1`).href, target, hasAttribute: (name: string) => attributes.includes(name) };
  return { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false, ...event, target: { closest: () => anchor } as unknown as EventTarget };
}

describe("plain links navigate through the router", () => {
  test("a plain left click on a same-site link goes to its path, query and hash", () => {
    expect(routedTarget(click("?quote=reply:r1#reply-form", { attributes: ["data-prevent-scroll-reset"] }), ORIGIN)).toEqual({ to: "/c/x/t/1?quote=reply:r1#reply-form", preventScrollReset: true });
    expect(routedTarget(click("/people/u1"), ORIGIN)).toEqual({ to: "/people/u1", preventScrollReset: false });
  });

  test("new tabs, other buttons, handled clicks, downloads and other sites are left to the browser", () => {
    expect(routedTarget(click("/people/u1", { metaKey: true }), ORIGIN)).toBeNull();
    expect(routedTarget(click("/people/u1", { ctrlKey: true }), ORIGIN)).toBeNull();
    expect(routedTarget(click("/people/u1", { button: 1 }), ORIGIN)).toBeNull();
    expect(routedTarget(click("/people/u1", { defaultPrevented: true }), ORIGIN)).toBeNull();
    expect(routedTarget(click("/people/u1", { target: "_blank" }), ORIGIN)).toBeNull();
    expect(routedTarget(click("/export.csv", { attributes: ["download"] }), ORIGIN)).toBeNull();
    expect(routedTarget(click("https://elsewhere.example/"), ORIGIN)).toBeNull();
  });
});

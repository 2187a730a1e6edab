import { expect } from "vitest";
import { Refusal } from "./refusal.ts";

/** Await a use case that must refuse, and return the Refusal for its status and message. */
export async function refusalOf(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

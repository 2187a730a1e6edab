import { hash, verify } from "@node-rs/argon2";

// argon2id with the parameters of OWASP's cheat sheet and Lucia's guide.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spend the same work as a real verification when there is no account, so the answer for
 * an unknown email takes as long as the answer for a wrong password.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("cohort-timing-equaliser");
  await verifyPassword(await dummyHash, password);
  return false;
}

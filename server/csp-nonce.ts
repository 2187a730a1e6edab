import { randomBytes } from "node:crypto";

const NONCE_BYTES = 16;
let pool = Buffer.alloc(0);
let at = 0;

/**
 * A fresh CSP nonce for one response: 128 random bits in base64, never given twice. They are
 * cut from a pool filled 256 at a time, one call for random bytes instead of one per request.
 */
export function cspNonce(): string {
  if (at + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * 256);
    at = 0;
  }
  at += NONCE_BYTES;
  return pool.toString("base64", at - NONCE_BYTES, at);
}

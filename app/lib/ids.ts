import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** A random row id (80 bits): unguessable enough for URLs, short enough to read. */
export function newId(): string {
  return base32(randomBytes(10));
}

/** A secret token (160 bits) for links and sessions; only its hash is ever stored. */
export function newToken(): string {
  return base32(randomBytes(20));
}

/** SHA-256 of a token, hex encoded: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

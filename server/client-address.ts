/**
 * Who is asking, and over what: the client address, protocol and host of a request, from
 * the socket unless the socket's peer is a proxy named by TRUST_PROXY (then from its
 * X-Forwarded-For / -Proto / -Host). The same rules as Express's "trust proxy" setting with
 * a list: `loopback`, `linklocal`, `uniquelocal`, addresses and CIDR ranges, comma-separated.
 */
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import type { TLSSocket } from "node:tls";

const NAMED: Record<string, string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/** Whether an address is one of the proxies to believe; null when none is configured. */
export type ProxyTrust = ((address: string) => boolean) | null;

/** Parse TRUST_PROXY. An entry that is neither a name, an address nor a range is an error at start. */
export function parseTrustProxy(setting: string | undefined): ProxyTrust {
  const entries = (setting ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED[e.toLowerCase()] ?? [e])) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(address);
    if (!family) throw new Error(`TRUST_PROXY: "${entry}" is not an address, a range or one of ${Object.keys(NAMED).join(", ")}.`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? "ipv4" : "ipv6");
  };
}

/** "::ffff:127.0.0.1" is 127.0.0.1. */
function unmapped(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface Client {
  /** The client's address: the socket's, or the nearest untrusted one in X-Forwarded-For. */
  address: string;
  https: boolean;
  /** Host (with port) the client asked for: Host, or X-Forwarded-Host from a trusted proxy. */
  host: string;
}

export function clientOf(req: IncomingMessage, trust: ProxyTrust): Client {
  const socketAddress = req.socket.remoteAddress ?? "unknown";
  const encrypted = (req.socket as TLSSocket).encrypted === true;
  const host = header(req, "host") ?? "localhost";
  if (!trust || !trust(socketAddress)) return { address: socketAddress, https: encrypted, host };
  // Walk back from the socket through the proxies' X-Forwarded-For: the first address not
  // trusted is the client; if every one is trusted, the furthest.
  const forwarded = (header(req, "x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean).reverse();
  let address = socketAddress;
  for (const hop of forwarded) {
    address = hop;
    if (!trust(hop)) break;
  }
  const proto = header(req, "x-forwarded-proto")?.split(",")[0]!.trim().toLowerCase();
  const forwardedHost = header(req, "x-forwarded-host")?.split(",")[0]!.trim();
  return { address, https: encrypted || proto === "https", host: forwardedHost || host };
}

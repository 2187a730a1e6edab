/**
 * Requests the server makes on behalf of its users (webhooks today, link previews or
 * anything else later) go through `postOutbound`, which decides where they may go. The host
 * is resolved at send time (every address DNS gives), and the request is refused when any
 * of them is loopback, private, link-local, unique-local, multicast, reserved or a cloud
 * metadata address, in any IPv4 or IPv6 spelling; the connection then goes to the address
 * that was checked (a pinned lookup), so a second DNS answer cannot swap it. Redirects are
 * never followed; only the status and a short excerpt of the response are kept. A
 * deployment that must call an internal host names it in WEBHOOK_ALLOW_HOSTS. See
 * docs/decisions/013.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** Where no outbound request may go unless the deployment allows the host. */
const FORBIDDEN = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network", including the unspecified 0.0.0.0
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, including the metadata service 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
] as const) {
  FORBIDDEN.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 96], // unspecified, loopback and IPv4-compatible forms (::127.0.0.1)
  ["64:ff9b::", 96], // NAT64: would reach any IPv4 address, internal ones included
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // protocol assignments, Teredo
  ["2001:db8::", 32],
  ["2002::", 16], // 6to4, which embeds an IPv4 address
  ["fc00::", 7], // unique-local, including fd00:ec2::254 (a metadata address)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // old site-local
  ["ff00::", 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(net, bits, "ipv6");
}

/** Whether an IP address (either family, any spelling Node accepts) is off limits. IPv4-mapped IPv6 is checked as its IPv4. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 4) return FORBIDDEN.check(bare, "ipv4");
  if (family === 6) return FORBIDDEN.check(bare, "ipv6");
  return true;
}

/** The allowance a deployment gives: host names or addresses (WEBHOOK_ALLOW_HOSTS, comma-separated). */
export function parseAllowHosts(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((h) => normaliseHost(h.trim()))
    .filter(Boolean);
}

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

export class OutboundRefused extends Error {}

export interface OutboundOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Hosts the deployment lets through even when they resolve to internal addresses. */
  allowHosts?: string[];
}

export interface OutboundResult {
  status: number | null;
  /** A short excerpt of the response, or why nothing was sent; printable characters only. */
  excerpt: string;
}

const EXCERPT_CHARS = 200;

/** A short, printable excerpt: control characters become spaces, nothing past EXCERPT_CHARS. */
export function excerptOf(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim().slice(0, EXCERPT_CHARS);
}

/**
 * Decide where a URL may be sent and return a lookup pinned to the checked address. Throws
 * OutboundRefused for a scheme other than http(s), credentials in the URL, or a host that is
 * (or resolves to) a forbidden address and is not allowed.
 */
export async function checkDestination(rawUrl: string, allowHosts: string[] = []): Promise<{ url: URL; address: string; family: 4 | 6 }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new OutboundRefused("not a web address");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundRefused("only http and https are allowed");
  if (url.username || url.password) throw new OutboundRefused("addresses with credentials are not allowed");
  // The WHATWG parser has already turned 127.1, 2130706433 and 0x7f000001 into 127.0.0.1.
  const host = normaliseHost(url.hostname);
  const allowed = allowHosts.includes(host);
  const literal = isIP(host);
  const addresses: LookupAddress[] = literal
    ? [{ address: host, family: literal }]
    : await new Promise<LookupAddress[]>((resolve, reject) =>
        dnsLookup(host, { all: true, verbatim: true }, (error, found) => (error ? reject(new OutboundRefused(`cannot resolve ${host}`)) : resolve(found))),
      );
  if (!addresses.length) throw new OutboundRefused(`cannot resolve ${host}`);
  if (!allowed) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new OutboundRefused(`${host} is an internal address (${bad.address}); set WEBHOOK_ALLOW_HOSTS to allow it`);
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}

/**
 * POST a body to a URL that passes `checkDestination`, connecting to the checked address.
 * Never follows redirects (a 3xx is just a status); reads at most a few kilobytes back.
 */
export async function postOutbound(rawUrl: string, options: OutboundOptions): Promise<OutboundResult> {
  let destination: Awaited<ReturnType<typeof checkDestination>>;
  try {
    destination = await checkDestination(rawUrl, options.allowHosts);
  } catch (error) {
    if (error instanceof OutboundRefused) return { status: null, excerpt: excerptOf(`Not sent: ${error.message}.`) };
    throw error;
  }
  const { url, address, family } = destination;
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const requestOptions: RequestOptions = {
    method: "POST",
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: { ...options.headers, "Content-Length": String(Buffer.byteLength(options.body)) },
    lookup: pinned,
    timeout: options.timeoutMs,
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<OutboundResult>((resolve) => {
    let settled = false;
    const finish = (result: OutboundResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = send(requestOptions, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        if (text.length >= 4096) res.destroy();
      });
      const done = () => finish({ status: res.statusCode ?? null, excerpt: excerptOf(text) });
      res.on("end", done);
      res.on("close", done);
      res.on("error", done);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)));
    req.on("error", (error) => finish({ status: null, excerpt: excerptOf(error.message) }));
    req.end(options.body);
  });
}

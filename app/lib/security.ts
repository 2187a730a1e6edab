/**
 * Web hardening rules with no I/O, used by the HTTP server (server/app.ts) for every
 * response and request, and unit tested beside this file.
 */

/** The session cookie's name, shared by the auth module and the server's cache rule. */
export const SESSION_COOKIE = "cohort_session";

/** Whether a request carries a session cookie (valid or not): its pages must not be stored. */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return !!cookieHeader && cookieHeader.split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

/** The headers every response carries. `nonce` is fresh for each request. */
export function securityHeaders(options: { nonce: string; https: boolean; development: boolean }): Record<string, string> {
  const { nonce, https, development } = options;
  const csp = [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd entry module load the route chunks it imports.
    `script-src 'nonce-${nonce}' 'strict-dynamic' 'self'`,
    // Vite's development server injects styles and talks to its HMR socket.
    development ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    development ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (https) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request may change state: safe methods always; anything else only when its
 * Origin header names this site. A missing Origin is refused too: every browser sends one
 * on a cross-site or same-site POST, so only forged or scripted requests lack it.
 */
export function isAllowedOrigin(method: string, origin: string | undefined, siteOrigin: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!origin || origin === "null") return false;
  try {
    return new URL(origin).origin === new URL(siteOrigin).origin;
  } catch {
    return false;
  }
}

const REDIRECT_BASE = "http://cohort.invalid";
/** Control characters (browsers strip some, turning "/\t/evil" into "//evil") and backslashes (read as "/"). */
const UNSAFE_IN_REDIRECT = /[\u0000-\u001f\u007f\\]/;

/**
 * A redirect target that stays on this site, decided once for every redirect (sign-in's
 * redirectTo, the ideas' returnTo, notification links): a path on this site after every
 * normalisation a browser applies. The target is resolved against a dummy origin (dot
 * segments collapse there, so "/.//evil" becomes "//evil"), and the result must still be
 * on that origin and must not start with "//" or "/\" (which a browser reads as another
 * host) in its raw or any percent-decoded spelling. Control characters and backslashes are
 * refused in every spelling. See docs/decisions/013.
 */
export function safeRedirect(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2000) return fallback;
  if (!target.startsWith("/") || !staysOnSite(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  const result = `${url.pathname}${url.search}${url.hash}`;
  // The normalised path is what the browser follows: check it again, and that it is stable.
  if (!staysOnSite(result) || new URL(result, REDIRECT_BASE).href !== url.href) return fallback;
  return result;
}

/** Whether a path, and each percent-decoding of it, is a single-slash path with no control characters or backslashes. */
function staysOnSite(path: string): boolean {
  let current = path;
  for (let round = 0; round < 4; round++) {
    if (UNSAFE_IN_REDIRECT.test(current)) return false;
    if (!current.startsWith("/") || current.startsWith("//")) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return true;
    current = decoded;
  }
  return false;
}

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

/**
 * A redirect target that stays on this site: a relative path, never "//host" or a scheme,
 * and never a backslash trick that some browsers read as "//".
 */
export function safeRedirect(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2000) return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return fallback;
  // Control characters can be stripped by browsers, turning "/\t/evil" into "//evil".
  if (/[\u0000-\u001f\u007f]/.test(target)) return fallback;
  try {
    const url = new URL(target, "http://cohort.invalid");
    if (url.origin !== "http://cohort.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * Java's `Date.toString()` in UTC, as API Gateway prints `exp` and `iat`.
 * @example javaDateString(1469818373) // 'Fri Jul 29 18:52:53 UTC 2016'
 */
export function javaDateString(epochSeconds: number): string {
  const d = new Date(Math.floor(epochSeconds) * 1000);
  if (Number.isNaN(d.getTime())) return String(epochSeconds);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

// Registered time claims that reach the event as dates (verified for exp and iat:
// amazon-archives/amazon-cognito-identity-js#92); nbf is the third date claim of RFC 7519.
const DATE_CLAIMS = new Set(['exp', 'iat', 'nbf']);

function claimString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(claimString).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * A verified token's payload as `requestContext.authorizer.claims`: every value a string.
 * `exp`/`iat`/`nbf` as Java dates in UTC; other numbers and booleans in their JSON spelling
 * (`auth_time` → `"1469817173"`, `email_verified` → `"true"`); arrays comma-joined without
 * spaces, as `cognito:groups` arrives (`"admin,staging-manager"`); objects as JSON; null as
 * `"null"` (Java's `String.valueOf`).
 */
export function toClaimStrings(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      DATE_CLAIMS.has(name) && typeof value === 'number' ? javaDateString(value) : claimString(value),
    ]),
  );
}

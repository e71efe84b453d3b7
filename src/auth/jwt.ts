import { type KeyObject, verify } from 'node:crypto';

/** A compact JWS split and decoded, not yet trusted: only `verifyRs256` makes its payload believable. */
export interface ParsedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Strict base64url: the alphabet only, no padding, and the canonical spelling — Node's decoder
 * ignores stray characters and the unused low bits of the last one, which would let several
 * strings stand for one signature.
 */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function decodeJsonObject(text: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64Url(text);
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * A compact JWS (`header.payload.signature`) → its parts, or undefined when it is not one:
 * not three segments, a segment that is not canonical base64url, a header or payload that is
 * not a UTF-8 JSON object.
 * @example parseJwt(token)?.header.kid
 */
export function parseJwt(token: string): ParsedJwt | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first === -1 || second === -1 || token.indexOf('.', second + 1) !== -1) return undefined;
  const header = decodeJsonObject(token.slice(0, first));
  const payload = decodeJsonObject(token.slice(first + 1, second));
  const signature = decodeBase64Url(token.slice(second + 1));
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  return { header, payload, signingInput: token.slice(0, second), signature };
}

/**
 * True when the token is an RS256 JWS signed by `key`. Only RS256: `none`, HMAC (a public key
 * used as a shared secret), PS/ES algorithms and critical extensions are all refused, as Cognito
 * signs nothing else.
 */
export function verifyRs256(jwt: ParsedJwt, key: KeyObject): boolean {
  if (jwt.header.alg !== 'RS256' || jwt.header.crit !== undefined) return false;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') return false;
  try {
    return verify('sha256', Buffer.from(jwt.signingInput, 'ascii'), key, jwt.signature);
  } catch {
    return false;
  }
}

/** Allowance for a token minted by a clock slightly ahead of ours (nimbus-jose-jwt's default, 60 s). */
export const CLOCK_SKEW_MS = 60_000;

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The token's time claims against `now` (ms): `exp` is required and the token is refused from
 * that second on, with no allowance; `nbf` and `iat`, when present, may be ahead of `now` by
 * at most CLOCK_SKEW_MS.
 */
export function isWithinLifetime(payload: Record<string, unknown>, now: number): boolean {
  const { exp, nbf, iat } = payload;
  if (!isTime(exp) || now >= exp * 1000) return false;
  if (nbf !== undefined && (!isTime(nbf) || nbf * 1000 > now + CLOCK_SKEW_MS)) return false;
  if (iat !== undefined && (!isTime(iat) || iat * 1000 > now + CLOCK_SKEW_MS)) return false;
  return true;
}

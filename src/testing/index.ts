import { createHash, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';

/** Options of `createTestUserPool`. */
export interface TestUserPoolOptions {
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** Default `{region}_` and nine random letters and digits. */
  userPoolId?: string;
  /** The app client the tokens are issued to (`aud` / `client_id`); default random. */
  clientId?: string;
  /** The signed-in user's `cognito:username` / `username`; default `test-user`. */
  username?: string;
  /** Milliseconds since the epoch for `iat`, `auth_time` and `exp`: pass the gateway's `clock` (default `Date.now`). */
  now?: () => number;
}

/** Claims of a test token: any claim overrides the default; `undefined` removes it. */
export type TestTokenClaims = Record<string, unknown>;

/** A user pool that exists only in the test: its ids, its public keys, and tokens signed with its private key. */
export interface TestUserPool {
  userPoolId: string;
  /** `arn:aws:cognito-idp:{region}:{account}:userpool/{userPoolId}`, for `providerARNs`. */
  providerArn: string;
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, the tokens' `iss`. */
  issuer: string;
  clientId: string;
  /** The pool's `kid` (every token carries it). */
  kid: string;
  /** The public keys, as `userPools[userPoolId].jwks`. */
  jwks: { keys: Record<string, unknown>[] };
  /** `{ [userPoolId]: { jwks } }`, ready for the gateway's `userPools` option. */
  userPools: Record<string, { jwks: { keys: Record<string, unknown>[] } }>;
  /** An ID token (`token_use: id`), for methods without `authorizationScopes`. */
  idToken(claims?: TestTokenClaims): string;
  /** An access token (`token_use: access`) carrying `scopes` (default `aws.cognito.signin.user.admin`). */
  accessToken(claims?: { scopes?: string[] } & TestTokenClaims): string;
  /** Any payload (and header fields) signed RS256 with the pool's key, for tokens of your own making. */
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomId(length: number, alphabet = ALNUM): string {
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Compact JWS, RS256: `base64url(header).base64url(payload).base64url(signature)`. */
function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/**
 * A Cognito user pool for tests: a fresh RSA key pair, and ID and access tokens shaped like
 * Cognito's, so a supertest suite can call COGNITO_USER_POOLS methods without AWS.
 * @example
 * const pool = createTestUserPool({ now: clock });
 * const app = express().use(apiGateway({
 *   userPools: pool.userPools,
 *   authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
 *   clock, functions, resources,
 * }));
 * await request(app).get('/prod/me').set('Authorization', pool.idToken({ email: 'a@example.com' }));
 */
export function createTestUserPool(options: TestUserPoolOptions = {}): TestUserPool {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const userPoolId = options.userPoolId ?? `${region}_${randomId(9)}`;
  const clientId = options.clientId ?? randomId(26, 'abcdefghijklmnopqrstuvwxyz0123456789');
  const username = options.username ?? 'test-user';
  const now = options.now ?? Date.now;
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const sub = randomUUID();

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = publicKey.export({ format: 'jwk' });
  // Cognito's kids are base64 of a SHA-256 digest.
  const kid = createHash('sha256')
    .update(publicJwk.n as string)
    .digest('base64');
  const jwks = { keys: [{ alg: 'RS256', e: publicJwk.e, kid, kty: 'RSA', n: publicJwk.n, use: 'sig' }] };

  const times = (): { auth_time: number; iat: number; exp: number } => {
    const iat = Math.floor(now() / 1000);
    return { auth_time: iat, iat, exp: iat + 3600 };
  };
  const signToken = (payload: Record<string, unknown>, header: Record<string, unknown> = {}): string =>
    signJwt({ kid, alg: 'RS256', ...header }, payload, privateKey);

  return {
    userPoolId,
    providerArn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${userPoolId}`,
    issuer,
    clientId,
    kid,
    jwks,
    userPools: { [userPoolId]: { jwks } },
    sign: signToken,
    idToken(claims = {}) {
      const { iat, exp, auth_time } = times();
      return signToken({
        sub,
        email_verified: true,
        iss: issuer,
        'cognito:username': username,
        origin_jti: randomUUID(),
        aud: clientId,
        event_id: randomUUID(),
        token_use: 'id',
        auth_time,
        exp,
        iat,
        jti: randomUUID(),
        email: `${username}@example.com`,
        ...claims,
      });
    },
    accessToken({ scopes = ['aws.cognito.signin.user.admin'], ...claims } = {}) {
      const { iat, exp, auth_time } = times();
      return signToken({
        sub,
        iss: issuer,
        client_id: clientId,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        token_use: 'access',
        version: 2,
        scope: scopes.join(' '),
        auth_time,
        exp,
        iat,
        jti: randomUUID(),
        username,
        ...claims,
      });
    },
  };
}

export { jsonOrText, type ParsedResponse } from './json-or-text.js';

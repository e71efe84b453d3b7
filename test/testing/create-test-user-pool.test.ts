import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestUserPool } from '../../src/testing/index.js';

const decode = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

function open(token: string, jwks: { keys: Record<string, unknown>[] }) {
  const [h, p, s] = token.split('.');
  const header = decode(h);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  const key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const valid = verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  return { header, payload: decode(p), valid };
}

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

describe('createTestUserPool', () => {
  const pool = createTestUserPool({ now: () => NOW });

  it('names a pool as Cognito does', () => {
    expect(pool.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.providerArn).toBe(`arn:aws:cognito-idp:us-east-1:123456789012:userpool/${pool.userPoolId}`);
    expect(pool.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool.userPoolId}`);
    expect(pool.userPools).toEqual({ [pool.userPoolId]: { jwks: pool.jwks } });
  });

  it('publishes one RS256 signing key, public members only', () => {
    expect(pool.jwks.keys).toHaveLength(1);
    const [key] = pool.jwks.keys;
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB', kid: pool.kid });
  });

  it('signs ID tokens with Cognito claims, iat and exp from its clock', () => {
    const { header, payload, valid } = open(pool.idToken(), pool.jwks);
    expect(valid).toBe(true);
    expect(header).toEqual({ kid: pool.kid, alg: 'RS256' });
    expect(payload).toEqual({
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email_verified: true,
      iss: pool.issuer,
      'cognito:username': 'test-user',
      origin_jti: expect.any(String),
      aud: pool.clientId,
      event_id: expect.any(String),
      token_use: 'id',
      auth_time: 1704164645,
      exp: 1704168245,
      iat: 1704164645,
      jti: expect.any(String),
      email: 'test-user@example.com',
    });
  });

  it('signs access tokens carrying the scopes, space-separated', () => {
    const { payload, valid } = open(pool.accessToken({ scopes: ['orders/read', 'profile'] }), pool.jwks);
    expect(valid).toBe(true);
    expect(payload).toMatchObject({
      iss: pool.issuer,
      client_id: pool.clientId,
      token_use: 'access',
      scope: 'orders/read profile',
      username: 'test-user',
      iat: 1704164645,
      exp: 1704168245,
    });
    expect(payload).not.toHaveProperty('aud');
    expect(open(pool.accessToken(), pool.jwks).payload.scope).toBe('aws.cognito.signin.user.admin');
  });

  it('lets claims be overridden, added or removed', () => {
    const { payload } = open(
      pool.idToken({ email: 'a@example.com', 'cognito:groups': ['admin'], email_verified: undefined }),
      pool.jwks,
    );
    expect(payload).toMatchObject({ email: 'a@example.com', 'cognito:groups': ['admin'] });
    expect(payload).not.toHaveProperty('email_verified');
  });

  it('keeps one user (sub) across tokens, and unique token ids', () => {
    const a = open(pool.idToken(), pool.jwks).payload;
    const b = open(pool.accessToken(), pool.jwks).payload;
    expect(a.sub).toBe(b.sub);
    expect(a.jti).not.toBe(b.jti);
  });

  it('takes its ids from the options', () => {
    const p = createTestUserPool({
      region: 'eu-west-1',
      accountId: '111111111111',
      userPoolId: 'eu-west-1_Abc',
      clientId: 'client',
      username: 'alice',
    });
    expect(p.providerArn).toBe('arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Abc');
    expect(open(p.idToken(), p.jwks).payload).toMatchObject({
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
      aud: 'client',
      'cognito:username': 'alice',
    });
  });

  it('gives every pool its own key', () => {
    const other = createTestUserPool();
    expect(other.kid).not.toBe(pool.kid);
    expect(open(pool.idToken(), { keys: [{ ...other.jwks.keys[0], kid: pool.kid }] }).valid).toBe(false);
  });

  it('is published as apigw-express/testing for import and require', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(pkg.exports['./testing']).toEqual({
      import: { types: './dist/esm/testing/index.d.ts', default: './dist/esm/testing/index.js' },
      require: { types: './dist/cjs/testing/index.d.ts', default: './dist/cjs/testing/index.js' },
    });
  });
});

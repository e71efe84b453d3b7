import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { javaDateString, toClaimStrings } from '../../src/auth/cognito-claims.js';
import { createSigningKeys, importJwks } from '../../src/auth/jwks.js';
import {
  decodeBase64Url,
  isWithinLifetime,
  type ParsedJwt,
  parseJwt,
  verifyRs256,
} from '../../src/auth/jwt.js';
import { ConfigError } from '../../src/config/config-error.js';
import { createTestUserPool } from '../../src/testing/index.js';

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function rs256(header: Record<string, unknown>, payload: Record<string, unknown>, key = privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A token the test expects to parse; its signature is what is under test. */
function parsed(token: string): ParsedJwt {
  const jwt = parseJwt(token);
  if (jwt === undefined) throw new Error(`not a JWT: ${token}`);
  return jwt;
}

const silent = { warn: () => {}, error: () => {} };

describe('decodeBase64Url', () => {
  it('decodes canonical base64url', () => {
    expect(decodeBase64Url('aGVsbG8')?.toString()).toBe('hello');
  });

  it.each([
    ['padding', 'aGVsbG8='],
    ['the base64 alphabet (+ and /)', 'a+/b'],
    ['whitespace', 'aGVs bG8'],
    ['the empty string', ''],
    ['a length that cannot be base64', 'aGVsb'],
    ['unused bits set in the last character (aGVsbG9 decodes like aGVsbG8)', 'aGVsbG9'],
  ])('refuses %s', (_name, text) => {
    expect(decodeBase64Url(text)).toBeUndefined();
  });

  it('accepts exactly the strings it would write itself', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABab09-_=+/. '.split('')), maxLength: 12 }),
        (text) => {
          const bytes = decodeBase64Url(text);
          if (bytes !== undefined) expect(bytes.toString('base64url')).toBe(text);
        },
      ),
    );
  });
});

describe('parseJwt', () => {
  const token = rs256({ alg: 'RS256', kid: 'k1' }, { sub: 'abc' });

  it('splits a compact JWS into header, payload, signing input and signature', () => {
    const jwt = parseJwt(token);
    expect(jwt?.header).toEqual({ alg: 'RS256', kid: 'k1' });
    expect(jwt?.payload).toEqual({ sub: 'abc' });
    expect(jwt?.signingInput).toBe(token.slice(0, token.lastIndexOf('.')));
    expect(jwt?.signature.length).toBe(256);
  });

  it.each([
    ['two segments', `${b64({ alg: 'RS256' })}.${b64({})}`],
    ['four segments', `${token}.${b64('x')}`],
    ['an empty signature', `${b64({ alg: 'RS256' })}.${b64({})}.`],
    ['an empty header', `.${b64({})}.${b64('sig')}`],
    ['a header that is not base64url', `e30*.${b64({})}.${b64('sig')}`],
    ['a header that is not JSON', `${b64('{alg')}.${b64({})}.${b64('sig')}`],
    ['a payload that is not JSON', `${b64({ alg: 'RS256' })}.${b64('not json')}.${b64('sig')}`],
    ['a payload that is a JSON array', `${b64({ alg: 'RS256' })}.${b64([1])}.${b64('sig')}`],
    ['a payload that is JSON null', `${b64({ alg: 'RS256' })}.${b64('null')}.${b64('sig')}`],
    [
      'a payload that is not UTF-8',
      `${b64({ alg: 'RS256' })}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${b64('sig')}`,
    ],
    ['the empty string', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseJwt(text)).toBeUndefined();
  });
});

describe('verifyRs256', () => {
  const header = { alg: 'RS256', kid: 'k1' };
  const payload = { sub: 'abc', exp: 2_000_000_000 };

  it('accepts a token signed by the key', () => {
    expect(verifyRs256(parsed(rs256(header, payload)), publicKey)).toBe(true);
  });

  it('refuses a token signed by another key', () => {
    expect(verifyRs256(parsed(rs256(header, payload, other.privateKey)), publicKey)).toBe(false);
  });

  it('refuses a payload changed after signing', () => {
    const [h, , s] = rs256(header, payload).split('.');
    expect(verifyRs256(parsed(`${h}.${b64({ ...payload, sub: 'admin' })}.${s}`), publicKey)).toBe(false);
  });

  it('refuses alg none, even with an empty-looking signature', () => {
    const input = `${b64({ alg: 'none', kid: 'k1' })}.${b64(payload)}`;
    expect(verifyRs256(parsed(`${input}.${b64('x')}`), publicKey)).toBe(false);
  });

  it('refuses HS256 signed with the public key as the HMAC secret', () => {
    const secret = publicKey.export({ format: 'pem', type: 'spki' });
    const input = `${b64({ alg: 'HS256', kid: 'k1' })}.${b64(payload)}`;
    const sig = createHmac('sha256', secret).update(input).digest('base64url');
    expect(verifyRs256(parsed(`${input}.${sig}`), publicKey)).toBe(false);
  });

  it('refuses an RS256 signature whose header names another algorithm', () => {
    for (const alg of ['RS384', 'PS256', 'rs256', 'ES256', null]) {
      expect(verifyRs256(parsed(rs256({ alg, kid: 'k1' }, payload)), publicKey)).toBe(false);
    }
  });

  it('refuses a header with critical extensions it cannot honour', () => {
    expect(verifyRs256(parsed(rs256({ ...header, crit: ['exp'] }, payload)), publicKey)).toBe(false);
  });

  it('refuses to verify with a private key or a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(verifyRs256(parsed(rs256(header, payload)), ec.publicKey)).toBe(false);
    expect(verifyRs256(parsed(rs256(header, payload)), privateKey)).toBe(false);
  });
});

describe('isWithinLifetime', () => {
  const now = 1_700_000_000_000;
  const s = now / 1000;

  it.each([
    ['no exp', {}, false],
    ['exp as a string', { exp: String(s + 10) }, false],
    ['exp in the future', { exp: s + 1 }, true],
    ['exp this very second', { exp: s }, false],
    ['exp in the past', { exp: s - 1 }, false],
    ['iat a minute ahead (allowed skew)', { exp: s + 3600, iat: s + 60 }, true],
    ['iat further ahead', { exp: s + 3600, iat: s + 61 }, false],
    ['nbf a minute ahead (allowed skew)', { exp: s + 3600, nbf: s + 60 }, true],
    ['nbf further ahead', { exp: s + 3600, nbf: s + 61 }, false],
    ['nbf not a number', { exp: s + 3600, nbf: 'soon' }, false],
    ['iat not a number', { exp: s + 3600, iat: null }, false],
  ])('%s → %s', (_name, payload, expected) => {
    expect(isWithinLifetime(payload, now)).toBe(expected);
  });
});

describe('claims as API Gateway hands them over', () => {
  it('prints dates as Java Date.toString() in UTC', () => {
    expect(javaDateString(1469818373)).toBe('Fri Jul 29 18:52:53 UTC 2016');
    expect(javaDateString(1544116103)).toBe('Thu Dec 06 17:08:23 UTC 2018');
    expect(javaDateString(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
  });

  it('turns every claim into a string, in the formats AWS uses', () => {
    expect(
      toClaimStrings({
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        exp: 1469821973,
        iat: 1469818373,
        nbf: 1469818373,
        auth_time: 1469818373,
        email_verified: true,
        phone_number_verified: false,
        'cognito:groups': ['admin', 'staging-manager'],
        'custom:tier': 3.5,
        address: { formatted: '1 Main St' },
        empty: null,
      }),
    ).toEqual({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      exp: 'Fri Jul 29 19:52:53 UTC 2016',
      iat: 'Fri Jul 29 18:52:53 UTC 2016',
      nbf: 'Fri Jul 29 18:52:53 UTC 2016',
      auth_time: '1469818373',
      email_verified: 'true',
      phone_number_verified: 'false',
      'cognito:groups': 'admin,staging-manager',
      'custom:tier': '3.5',
      address: '{"formatted":"1 Main St"}',
      empty: 'null',
    });
  });

  it('keeps a claim named __proto__ as a plain claim', () => {
    const claims = toClaimStrings(JSON.parse('{"__proto__":"x","sub":"s"}'));
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.keys(claims)).toEqual(['__proto__', 'sub']);
  });
});

describe('importJwks', () => {
  const jwk = publicKey.export({ format: 'jwk' });

  it('keeps RSA signing keys by kid', () => {
    const keys = importJwks({ keys: [{ ...jwk, kid: 'a', alg: 'RS256', use: 'sig' }] });
    expect([...keys.keys()]).toEqual(['a']);
    expect(keys.get('a')?.equals(publicKey)).toBe(true);
  });

  it('leaves out keys a verifier would never pick', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const keys = importJwks({
      keys: [
        { ...jwk }, // no kid
        { ...jwk, kid: 'enc', use: 'enc' },
        { ...jwk, kid: 'ps', alg: 'PS256' },
        { ...ec, kid: 'ec' },
        { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 7 },
        { kty: 'RSA', kid: 'garbage', n: '!!', e: 'AQAB' },
        { kty: 'RSA', kid: 'padded', n: `${jwk.n}=`, e: 'AQAB' },
        {
          ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }),
          kid: 'short',
        },
        'not a key',
      ],
    });
    expect(keys.size).toBe(0);
  });

  it('holds only the public half of a JWK that carries private members', () => {
    const full = privateKey.export({ format: 'jwk' });
    const key = importJwks({ keys: [{ ...full, kid: 'p' }] }).get('p');
    expect(key?.type).toBe('public');
  });

  it.each([[null], [[]], [{}], [{ keys: 'x' }]])('refuses %j as a JWKS document', (doc) => {
    expect(() => importJwks(doc)).toThrow('not a JWKS document');
  });
});

describe('createSigningKeys from the config', () => {
  const pool = createTestUserPool();
  const issuer = pool.issuer;

  it('reads a JWKS file once, at startup', async () => {
    const file = join(tmpdir(), `jwks-${process.pid}-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(pool.jwks));
    const keys = createSigningKeys(pool.userPoolId, issuer, file, Date.now, silent);
    writeFileSync(file, '{"keys":[]}');
    expect(typeof (await keys.find(pool.kid))).toBe('object');
    expect(await keys.find('other')).toBe('unknown-kid');
  });

  it.each([
    [
      'a missing file',
      '/nonexistent/jwks.json',
      /userPools\["[^"]+"\]\.jwks: cannot read \/nonexistent\/jwks.json/,
    ],
    ['a plain http URL to another host', 'http://example.com/jwks.json', /keys are fetched over https/],
    ['another scheme', 'ftp://example.com/jwks.json', /keys are fetched over https/],
  ])('names the field for %s', (_name, source, message) => {
    expect(() => createSigningKeys(pool.userPoolId, issuer, source, Date.now, silent)).toThrow(ConfigError);
    expect(() => createSigningKeys(pool.userPoolId, issuer, source, Date.now, silent)).toThrow(message);
  });

  it('refuses a file or object without one usable key', () => {
    const file = join(tmpdir(), `jwks-empty-${process.pid}-${Date.now()}.json`);
    writeFileSync(file, '{"keys":[{"kty":"EC"}]}');
    expect(() => createSigningKeys('p', issuer, file, Date.now, silent)).toThrow(/no RSA signing key/);
    expect(() => createSigningKeys('p', issuer, { keys: [] }, Date.now, silent)).toThrow(
      /no RSA signing key/,
    );
  });

  it('takes http only from this machine', () => {
    for (const url of ['http://127.0.0.1:9/jwks', 'http://localhost:9/jwks', 'http://[::1]:9/jwks']) {
      expect(() => createSigningKeys('p', issuer, url, Date.now, silent)).not.toThrow();
    }
  });
});

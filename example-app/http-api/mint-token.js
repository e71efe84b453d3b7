// Prints a token the pets API's JWT authorizer accepts, signed with the example key
// (signing-key.json; its public half is functions/jwks.json). For local use only.
//   node example-app/http-api/mint-token.js                  scope pets/read, valid one hour
//   node example-app/http-api/mint-token.js --scope other    a token GET /me answers 403 to
//   options: --scope <s> ('' for none)  --sub <s>  --audience <s>  --issuer <url>  --expires-in <seconds>
const { createPrivateKey, sign } = require('node:crypto');
const { parseArgs } = require('node:util');

const key = require('./signing-key.json');

/** @param {unknown} value */
const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An RS256 JWT for the pets API: `iss`, `aud`, `sub`, `scope`, `iat`, `exp`.
 * @param {{ scope?: string, sub?: string, audience?: string, issuer?: string, expiresIn?: number, now?: number }} [options]
 */
function mintToken(options = {}) {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const payload = {
    iss: options.issuer ?? process.env.JWT_ISSUER ?? 'http://localhost:3000',
    aud: options.audience ?? 'pets-api',
    sub: options.sub ?? 'user-1',
    ...(options.scope !== '' && { scope: options.scope ?? 'pets/read' }),
    iat,
    exp: iat + (options.expiresIn ?? 3600),
  };
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key, format: 'jwk' }));
  return `${input}.${signature.toString('base64url')}`;
}

module.exports = { mintToken };

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string' },
      sub: { type: 'string' },
      audience: { type: 'string' },
      issuer: { type: 'string' },
      'expires-in': { type: 'string' },
    },
  });
  const expiresIn = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
  console.log(mintToken({ ...values, expiresIn }));
}

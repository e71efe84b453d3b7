// The token issuer's OpenID discovery document and keys, so the JWT authorizer finds its keys
// offline: API Gateway reads `jwks_uri` from {issuer}/.well-known/openid-configuration, and the
// template's default issuer is this API at http://localhost:3000. Deployed, the issuer is your
// identity provider (a Cognito user pool, Auth0…) and this function goes away.
const fs = require('node:fs');
const path = require('node:path');

const jwks = fs.readFileSync(path.join(__dirname, 'jwks.json'), 'utf8');

/** @type {import('aws-lambda').APIGatewayProxyHandlerV2<{ issuer: string, jwks_uri: string }>} */
exports.handler = async (event) => {
  if (event.rawPath.endsWith('/jwks.json'))
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: jwks };
  // The API's own origin: http on this machine, https anywhere else.
  const domain = event.requestContext.domainName;
  const scheme = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(domain) ? 'http' : 'https';
  const issuer = `${scheme}://${domain}`;
  return { issuer, jwks_uri: `${issuer}/.well-known/jwks.json` };
};

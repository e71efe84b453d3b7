// The token issuer's OpenID discovery document and keys, so the JWT authorizer finds its keys
// offline: API Gateway reads `jwks_uri` from {issuer}/.well-known/openid-configuration.
// On AWS the issuer is your identity provider (a Cognito user pool, Auth0…) and this goes away.
const fs = require('node:fs');
const path = require('node:path');

const jwks = fs.readFileSync(path.join(__dirname, 'jwks.json'), 'utf8');

/** @type {import('aws-lambda').APIGatewayProxyHandlerV2} */
exports.handler = async (event) => {
  const issuer = (process.env.ISSUER ?? '').replace(/\/+$/, '');
  if (event.rawPath.endsWith('/jwks.json'))
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: jwks };
  return { issuer, jwks_uri: `${issuer}/.well-known/jwks.json` };
};

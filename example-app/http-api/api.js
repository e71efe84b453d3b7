// The pets HTTP API of template.yaml as httpApi() options: the same routes, functions (by the
// template's logical ids), authorizers, CORS and route settings, written out.
const path = require('node:path');

const functions = path.join(__dirname, 'functions');
const fn = (handler) => ({ handler, codeUri: functions, timeout: 3 });

/** The tokens' `iss` (the template's JwtIssuer parameter); mint-token.js signs with the same default. */
const issuer = process.env.JWT_ISSUER ?? 'http://localhost:3000';

/** @type {import('apigw-express').HttpApiOptions} */
module.exports = {
  functions: {
    GetPetFunction: fn('get-pet.handler'),
    CreatePetFunction: fn('create-pet.handler'),
    ListPetsFunction: fn('list-pets.handler'),
    DeletePetFunction: fn('delete-pet.handler'),
    AdminAuthorizerFunction: fn('admin-authorizer.handler'),
    MeFunction: fn('me.handler'),
    CatchAllFunction: fn('catch-all.handler'),
    OpenIdFunction: fn('openid.handler'),
  },
  routes: {
    'GET /pets/{id}': { integration: { function: 'GetPetFunction', payloadFormatVersion: '2.0' } },
    'POST /pets': { integration: { function: 'CreatePetFunction', payloadFormatVersion: '2.0' } },
    'GET /pets': { integration: { function: 'ListPetsFunction', payloadFormatVersion: '1.0' } },
    'DELETE /pets/{id}': {
      integration: { function: 'DeletePetFunction', payloadFormatVersion: '2.0' },
      authorizer: 'AdminAuthorizer',
    },
    'GET /me': {
      integration: { function: 'MeFunction', payloadFormatVersion: '2.0' },
      authorizer: 'PetsJwt',
      authorizationScopes: ['pets/read'],
    },
    'GET /{proxy+}': { integration: { function: 'CatchAllFunction', payloadFormatVersion: '2.0' } },
    'GET /.well-known/openid-configuration': {
      integration: { function: 'OpenIdFunction', payloadFormatVersion: '2.0' },
    },
    'GET /.well-known/jwks.json': {
      integration: { function: 'OpenIdFunction', payloadFormatVersion: '2.0' },
    },
  },
  authorizers: {
    PetsJwt: {
      type: 'JWT',
      identitySource: '$request.header.Authorization',
      issuer,
      audience: ['pets-api'],
      // The keys from the file the API also publishes, so no discovery request is needed.
      jwks: path.join(functions, 'jwks.json'),
    },
    AdminAuthorizer: {
      type: 'REQUEST',
      function: 'AdminAuthorizerFunction',
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: ['$request.header.X-Admin-Token'],
      authorizerResultTtlInSeconds: 300,
    },
  },
  cors: {
    allowOrigins: ['http://localhost:5173'],
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['authorization', 'content-type', 'x-admin-token'],
    exposeHeaders: ['location'],
    maxAge: 600,
  },
  routeSettings: { 'POST /pets': { throttle: { burstLimit: 2, rateLimit: 1 } } },
};

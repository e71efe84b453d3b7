// npm run start:http: the pets HTTP API (template.yaml) on http://localhost:3000 (PORT overrides),
// mounted in an Express app with httpApi().
const path = require('node:path');
const express = require('express');
const { httpApi } = require('apigw-express');

/**
 * The Express app serving the pets API at the root (its `$default` stage); `overrides` go over
 * api.js (tests pass `clock`).
 * @param {Partial<import('apigw-express').HttpApiOptions>} [overrides]
 */
function createApp(overrides = {}) {
  const pets = httpApi({
    template: path.join(__dirname, 'template.yaml'),
    // The JWT authorizer with its keys from the file rather than by discovery at the issuer, so
    // the API answers on any port; it replaces the template's authorizer of the same name.
    authorizers: {
      PetsJwt: {
        type: 'JWT',
        issuer: process.env.JWT_ISSUER ?? 'http://localhost:3000',
        audience: ['pets-api'],
        jwks: path.join(__dirname, 'functions/jwks.json'),
      },
    },
    ...overrides,
  });
  const app = express();
  app.get('/health', (_req, res) => res.send('ok')); // the host app's own routes keep working
  app.use(pets);
  return { app, pets };
}

module.exports = { createApp };

if (require.main === module) {
  const { app } = createApp();
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    const base = `http://localhost:${server.address().port}`;
    console.log(`pets HTTP API listening on ${base}/`);
    console.log(`  curl ${base}/pets/7`);
    console.log(
      `  curl -i -X POST ${base}/pets -H 'Content-Type: application/json' -d '{"name":"Tom","species":"cat"}'`,
    );
    console.log(`  curl -H "Authorization: Bearer $(node example-app/http-api/mint-token.js)" ${base}/me`);
  });
}

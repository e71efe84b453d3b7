// npm run start:http: the pets HTTP API (template.yaml) on http://localhost:3000 (PORT overrides),
// mounted in an Express app with httpApi().
const express = require('express');
const { httpApi } = require('apigw-express');
const api = require('./api');

/**
 * The Express app serving the pets API at the root (its `$default` stage); `overrides` go over
 * api.js (tests pass `clock`).
 * @param {Partial<import('apigw-express').HttpApiOptions>} [overrides]
 */
function createApp(overrides = {}) {
  // The template's Auth, CorsConfiguration and RouteSettings are given here as options (api.js),
  // so they hold whichever way the API is mounted.
  const pets = httpApi({ ...api, ...overrides });
  const app = express();
  app.get('/health', (_req, res) => res.send('ok')); // before the API: its `$default` route takes the rest
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

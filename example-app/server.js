// npm start: the walkthrough's API on http://localhost:3000/prod (PORT overrides).
const express = require('express');
const { apiGateway } = require('apigw-express');
const api = require('./api');

const app = express();
app.get('/health', (_req, res) => res.send('ok')); // the host app's own routes keep working
// REDIS_URL shares the usage-plan counts with every instance pointed at the same Redis.
app.use(apiGateway(process.env.REDIS_URL ? { ...api, store: { redis: process.env.REDIS_URL } } : api));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => {
  console.log(`my-api listening on http://localhost:${port}/prod`);
  console.log(`  curl http://localhost:${port}/prod`);
  console.log(`  curl 'http://localhost:${port}/prod/my-resource?myParam=Hello%20from%20API%20Gateway!'`);
});

// npm start: the walkthrough's API on http://localhost:3000/prod (PORT overrides), and the same API
// under the custom domain api.example.local with the base path `shop`, as a BasePathMapping serves
// it. Its shop routes reach DynamoDB (dynalite) and an inventory backend, both started here.
const express = require('express');
const { apiGateway, customDomains } = require('apigw-express');
const api = require('./api');
const { startLocalServices } = require('./local-services');

async function main() {
  const services = await startLocalServices();
  const options = { ...api, ...services.options };
  // REDIS_URL shares the usage-plan counts with every instance pointed at the same Redis.
  if (process.env.REDIS_URL) options.store = { redis: process.env.REDIS_URL };
  const gateway = apiGateway(options);

  const app = express();
  app.get('/health', (_req, res) => res.send('ok')); // the host app's own routes keep working
  // Host: api.example.local → the base path mappings; any other Host → the /prod stage URLs.
  app.use(customDomains({ 'api.example.local': { mappings: { shop: gateway } } }));
  app.use(gateway);

  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    const base = `http://localhost:${server.address().port}`;
    const shop = `-H 'Host: api.example.local' ${base}/shop`;
    console.log(
      `my-api listening on ${base}/prod, and as https://api.example.local/shop (send the Host header)`,
    );
    console.log(`  curl ${base}/prod`);
    console.log(`  curl '${base}/prod/my-resource?myParam=Hello%20from%20API%20Gateway!'`);
    console.log(`  curl ${shop}/inventory/items/a-1`);
    console.log(
      `  curl -X POST ${shop}/orders-table -H 'Content-Type: application/json' -d '{"customer":"Ann","sku":"a-1","quantity":2}'`,
    );
    console.log(`  curl ${shop}/orders-table/<id from the POST>`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

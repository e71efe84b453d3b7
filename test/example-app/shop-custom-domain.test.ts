import request from 'supertest';
import { apiGateway, customDomains } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

const api = require('../../example-app/api.js');
const { startLocalServices } = require('../../example-app/local-services.js');

interface LocalServices {
  options: Record<string, unknown>;
  dynamodb: (action: string, input: unknown) => Promise<unknown>;
  close: () => Promise<void>;
}

const HOST = 'api.example.local';

// What `npm start` serves (example-app/server.js): the example API at /prod and under the custom
// domain's `shop` mapping, its shop routes against real dynalite and the real inventory backend.
describe.each(EXPRESS_VERSIONS)('the example app at api.example.local/shop on Express %s', (_v, express) => {
  let services: LocalServices;
  let gateway: ReturnType<typeof apiGateway>;
  let app: import('express').Express;

  beforeAll(async () => {
    services = await startLocalServices();
    gateway = apiGateway({ ...api, ...services.options, logger: silentLogger() });
    app = express();
    app.use(customDomains({ [HOST]: { mappings: { shop: gateway } } }));
    app.use(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    await services.close();
  });

  const shop = (method: 'get' | 'post', path: string) =>
    request(app)[method](`/shop${path}`).set('Host', HOST);

  it('HTTP_PROXY: /shop/inventory/{proxy+} reaches the backend at /{proxy} and returns its answer', async () => {
    const res = await shop('get', '/inventory/items/a-1').parse(asText);
    expect(res.status).toBe(200);
    expect(res.headers['x-inventory-path']).toBe('/items/a-1');
    expect(JSON.parse(res.body)).toEqual({ sku: 'a-1', name: 'Anchor', stock: 12 });
  });

  it("HTTP_PROXY: the backend's own 404 and 405 come back as they are", async () => {
    const missing = await shop('get', '/inventory/items/zz').parse(asText);
    expect([missing.status, missing.body]).toEqual([404, '{"message":"no such item: /items/zz"}']);
    const post = await shop('post', '/inventory/items').parse(asText);
    expect([post.status, post.body]).toEqual([405, '{"message":"method not allowed"}']);
  });

  it('DynamoDB: POST /shop/orders-table puts the item keyed by the request id; GET maps it back', async () => {
    const customer = 'Ann O\'Neil "& Co" \\';
    const put = await shop('post', '/orders-table')
      .set('Content-Type', 'application/json')
      .send({ customer, sku: 'a-1', quantity: 2 })
      .parse(asText);
    expect(put.status).toBe(201);
    const { id } = JSON.parse(put.body);
    expect(id).toBe(put.headers['x-amzn-requestid']);

    const stored = await services.dynamodb('GetItem', { TableName: 'Orders', Key: { id: { S: id } } });
    expect(stored).toEqual({
      Item: { id: { S: id }, customer: { S: customer }, sku: { S: 'a-1' }, quantity: { N: '2' } },
    });

    const get = await shop('get', `/orders-table/${id}`).parse(asText);
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('application/json');
    expect(JSON.parse(get.body)).toEqual({ id, customer, sku: 'a-1', quantity: 2 });
  });

  it("DynamoDB: an unknown id is a 404 from the template; DynamoDB's ValidationException a 400", async () => {
    const missing = await shop('get', '/orders-table/no-such-order').parse(asText);
    expect([missing.status, missing.body]).toEqual([404, '{"message": "order not found"}\n']);
    const invalid = await shop('post', '/orders-table')
      .set('Content-Type', 'application/json')
      .send({ customer: 'Ann', sku: 'a-1' })
      .parse(asText);
    expect([invalid.status, invalid.body]).toEqual([400, '{"error": "ValidationException"}']);
  });

  it('a base path the domain does not map is 403 Forbidden; the /prod stage URLs serve the same routes', async () => {
    const unmapped = await request(app).get('/prod/inventory/items/a-1').set('Host', HOST).parse(asText);
    expect([unmapped.status, unmapped.body]).toEqual([403, '{"message":"Forbidden"}']);
    const stage = await request(app).get('/prod/inventory/items/b-2').parse(asText);
    expect(stage.status).toBe(200);
    expect(JSON.parse(stage.body)).toEqual({ sku: 'b-2', name: 'Buoy', stock: 0 });
    const hello = await request(app).get('/prod').parse(asText);
    expect([hello.status, hello.body]).toEqual([200, 'Hello from Lambda!']);
  });
});

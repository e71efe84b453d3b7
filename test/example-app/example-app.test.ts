import request from 'supertest';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

const api = require('../../example-app/api.js');

describe.each(EXPRESS_VERSIONS)('the walkthrough example app on Express %s', (_v, express) => {
  const app = createApp(api, express);

  it('GET /prod answers Hello from Lambda! through the proxy integration', async () => {
    const res = await request(app).get('/prod').parse(asText);
    expect(res.status).toBe(200);
    expect(res.body).toBe('Hello from Lambda!');
  });

  it('GET /prod/my-resource prints the Lambda payload byte for byte', async () => {
    const res = await request(app).get('/prod/my-resource?myParam=Hello%20from%20API%20Gateway!');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe('{"statusCode":200,"body":"\\"Hello from API Gateway!\\""}');
  });

  it('POST /prod/orders maps the body with #foreach and escapes user text', async () => {
    const res = await request(app)
      .post('/prod/orders')
      .set('Content-Type', 'application/json')
      .send({
        customer: 'O\'Brien "Ltd"',
        items: [
          { sku: 'a-1', qty: 2, price: 3 },
          { sku: 'b/2', qty: 1, price: 4 },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(/^ord-[0-9a-f]{8}$/);
    expect(JSON.parse(res.text)).toEqual({ id: res.headers.location, lines: 2, total: 10 });
  });

  it('POST /prod/orders maps a [BadRequest] error to a 400 with its message', async () => {
    const res = await request(app)
      .post('/prod/orders')
      .set('Content-Type', 'application/json')
      .send({ customer: 'x', items: [] });
    expect(res.status).toBe(400);
    expect(res.text).toBe('{"error": "an order needs at least one line"}');
  });

  it('GET /prod/pets/{id} with token allow answers 200, with the authorizer principal and context in the event', async () => {
    const res = await request(app).get('/prod/pets/7').set('Authorization', 'allow');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ id: '7', name: 'Pet 7', requestedBy: 'user-1', plan: 'gold' });
  });

  it('GET /prod/pets/{id} with token deny answers 403 explicit deny', async () => {
    const res = await request(app).get('/prod/pets/7').set('Authorization', 'deny').parse(asText);
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(res.body).toBe(
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
  });

  it('GET /prod/pets/{id} without a token answers 401', async () => {
    const res = await request(app).get('/prod/pets/7').parse(asText);
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"message":"Unauthorized"}');
  });

  it('POST /prod/pets: 201 with the key, 403 without, 400 for an invalid body, 429 after 5 a day', async () => {
    // A fresh app: the usage plan counts per gateway.
    const fresh = createApp(api, express);
    const post = (body: unknown, key?: string) => {
      const req = request(fresh).post('/prod/pets').set('Content-Type', 'application/json');
      return (key ? req.set('x-api-key', key) : req).send(JSON.stringify(body)).parse(asText);
    };
    const created = await post({ name: 'Tom', species: 'cat' }, 'example-key');
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toEqual({
      id: 'tom',
      name: 'Tom',
      species: 'cat',
      apiKeyId: 'example-key-id',
    });
    const forbidden = await post({ name: 'Tom' });
    expect([forbidden.status, forbidden.body]).toEqual([403, '{"message":"Forbidden"}']);
    const invalid = await post({ species: 'cow' }, 'example-key');
    expect([invalid.status, invalid.body]).toEqual([400, '{"message": "Invalid request body"}']);
    for (let i = 0; i < 3; i++) expect((await post({ name: `Pet${i}` }, 'example-key')).status).toBe(201);
    const limited = await post({ name: 'One more' }, 'example-key');
    expect([limited.status, limited.body]).toEqual([429, '{"message":"Limit Exceeded"}']);
  });

  it('OPTIONS /prod/pets/{id} answers the CORS preflight', async () => {
    const res = await request(app).options('/prod/pets/7');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET,OPTIONS');
    expect(res.text).toBe('');
  });
});

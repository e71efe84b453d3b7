import path from 'node:path';
import request from 'supertest';
import { apiGateway } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

// A definition's own Handler / CodeUri, loaded by module path on the first request: no `functions` given.
const FIXTURES = path.resolve(__dirname, '../fixtures/definitions');

describe('handlers named by a definition', () => {
  it('serves a SAM function from its Handler and CodeUri, with its Environment', async () => {
    const gateway = apiGateway({
      template: path.join(FIXTURES, 'sam/app/template.yaml'),
      logger: silentLogger(),
    });
    await gateway.ready;
    const res = await request(gateway).get('/Prod/items');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], table: 'dev-items-us-east-1' });
    await gateway.close();
  });

  it('serves a serverless.yml function from its handler path', async () => {
    const gateway = apiGateway({
      serverless: path.join(FIXTURES, 'serverless/serverless.yml'),
      logger: silentLogger(),
    });
    await gateway.ready;
    const res = await request(gateway).get('/dev/items?limit=5');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], limit: 5 });
    await gateway.close();
  });
});

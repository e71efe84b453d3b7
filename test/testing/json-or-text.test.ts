import request from 'supertest';
import { jsonOrText } from '../../src/testing/index.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

const api = require('../../example-app/api.js');

describe.each(EXPRESS_VERSIONS)('jsonOrText on the example app, Express %s', (_v, express) => {
  const app = createApp(api, express);

  it("supertest's own parser fails on the proxy result API Gateway labels application/json", async () => {
    await expect(request(app).get('/prod/')).rejects.toThrow(/JSON/);
  });

  it('keeps Hello from Lambda! as text', async () => {
    const res = await request(app).get('/prod/').parse(jsonOrText);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('Hello from Lambda!');
    expect(res.text).toBe('Hello from Lambda!');
  });

  it('parses a JSON answer as supertest would', async () => {
    const res = await request(app).get('/prod/nope').parse(jsonOrText);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Missing Authentication Token' });
    expect(res.text).toBe('{"message":"Missing Authentication Token"}');
  });
});

describe('jsonOrText on any answer', () => {
  const express = EXPRESS_VERSIONS[0][1];
  const app = express();
  app.get('/typed/:type', (req, res) => {
    res.type(req.params.type.replace('~', '/')).send(String(req.query.body ?? ''));
  });

  it.each([
    ['application~json', '{"a":1}', { a: 1 }],
    ['application~problem+json', '[1,2]', [1, 2]],
    ['application~json', 'not json', 'not json'],
    ['application~json', '', ''],
    ['text~plain', '{"a":1}', '{"a":1}'],
    ['text~html', '<p>hi</p>', '<p>hi</p>'],
  ])('%s %p → %p', async (type, body, expected) => {
    const res = await request(app).get(`/typed/${type}`).query({ body }).parse(jsonOrText);
    expect(res.body).toEqual(expected);
    expect(res.text).toBe(body);
  });
});

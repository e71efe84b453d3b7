import express from 'express';
import request from 'supertest';
import { apiGateway } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

// A Lambda error a selection pattern maps to a 4xx is the API's designed answer: no error log.
function appWith(logger: ReturnType<typeof silentLogger>) {
  return express().use(
    apiGateway({
      logger,
      functions: {
        order: async (event: { customer?: string; crash?: boolean }) => {
          if (event.crash) throw new Error('database down');
          if (!event.customer) throw new Error('[400] customer is required');
          return { id: 'ord-1' };
        },
      },
      resources: {
        '/orders': {
          POST: {
            integration: {
              type: 'AWS',
              function: 'order',
              integrationResponses: [
                { statusCode: '200' },
                { statusCode: '400', selectionPattern: '\\[400\\].*' },
                { statusCode: '502', selectionPattern: 'database.*' },
              ],
            },
          },
        },
      },
    }),
  );
}

const levels = (logger: ReturnType<typeof silentLogger>) => logger.calls.map((c) => c.level);

describe('logging of Lambda errors behind a non-proxy integration', () => {
  it('logs an error mapped to a 4xx by a selection pattern at debug, not error', async () => {
    const logger = silentLogger();
    const res = await request(appWith(logger)).post('/prod/orders').send({});
    expect(res.status).toBe(400);
    expect(levels(logger)).not.toContain('error');
    expect(logger.calls).toContainEqual({
      level: 'debug',
      args: [
        expect.stringMatching(
          /^apigw-express \[POST \/prod\/orders req=[0-9a-f-]+\] Lambda function order failed:$/,
        ),
        expect.stringContaining('[400] customer is required'),
      ],
    });
  });

  it('still logs an error mapped to a 5xx as an error', async () => {
    const logger = silentLogger();
    const res = await request(appWith(logger)).post('/prod/orders').send({ crash: true });
    expect(res.status).toBe(502);
    expect(logger.calls).toContainEqual({
      level: 'error',
      args: [
        expect.stringMatching(
          /^apigw-express \[POST \/prod\/orders req=[0-9a-f-]+\] Lambda function order failed:$/,
        ),
        expect.stringContaining('database down'),
      ],
    });
  });

  it('still logs an error that no pattern matches as an error', async () => {
    const logger = silentLogger();
    const app = appWith(logger);
    const res = await request(app).post('/prod/orders').send({ customer: 'Ann', crash: false, boom: 1 });
    expect(res.status).toBe(200);
    expect(levels(logger)).not.toContain('error');
    const logger2 = silentLogger();
    const failing = express().use(
      apiGateway({
        logger: logger2,
        functions: { f: async () => Promise.reject(new Error('unexpected')) },
        resources: {
          '/f': {
            GET: {
              integration: {
                type: 'AWS',
                function: 'f',
                integrationResponses: [
                  { statusCode: '200' },
                  { statusCode: '400', selectionPattern: 'bad.*' },
                ],
              },
            },
          },
        },
      }),
    );
    expect((await request(failing).get('/prod/f')).status).toBe(200);
    expect(levels(logger2)).toEqual(['error']);
  });

  it('answers the mapped 4xx with a logger that has no debug', async () => {
    const { debug: _debug, calls, ...logger } = silentLogger();
    const res = await request(appWith({ ...logger, calls }))
      .post('/prod/orders')
      .send({});
    expect(res.status).toBe(400);
    expect(calls).toEqual([]);
  });
});

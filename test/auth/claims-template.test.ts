import request from 'supertest';
import { createTestUserPool } from '../../src/testing/index.js';
import { asText } from '../support/as-text.js';
import { createApp, EXPRESS_VERSIONS } from '../support/create-app.js';

describe.each(EXPRESS_VERSIONS)('Cognito claims in mapping templates (Express %s)', (_v, express) => {
  it('reads $context.authorizer.claims in a MOCK response template', async () => {
    const pool = createTestUserPool();
    const app = createApp(
      {
        userPools: pool.userPools,
        authorizers: { users: { type: 'COGNITO_USER_POOLS', providerARNs: [pool.providerArn] } },
        resources: {
          '/me': {
            GET: {
              authorizationType: 'COGNITO_USER_POOLS',
              authorizer: 'users',
              integration: {
                type: 'MOCK',
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
                integrationResponses: [
                  {
                    statusCode: '200',
                    responseTemplates: {
                      'application/json':
                        '$context.authorizer.claims.email $context.authorizer.claims["cognito:groups"]',
                    },
                  },
                ],
              },
              methodResponses: [{ statusCode: '200' }],
            },
          },
        },
      },
      express,
    );
    const token = pool.idToken({ email: 'ann@example.com', 'cognito:groups': ['admin', 'ops'] });
    const res = await request(app).get('/prod/me').set('Authorization', token).parse(asText);
    expect(res.status).toBe(200);
    expect(res.body).toBe('ann@example.com admin,ops');
  });
});

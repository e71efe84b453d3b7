import http from 'node:http';
import request from 'supertest';
import { createRequestSeed } from '../../src/http/request-seed.js';
import { GatewayError } from '../../src/responses/gateway-error.js';
import { sendGatewayError, sendResponse } from '../../src/responses/send.js';

const seed = createRequestSeed();

describe('send', () => {
  it('writes all of a response or none of its headers, so the error answer after a failure is clean', async () => {
    const server = http.createServer((_req, res) => {
      try {
        sendResponse(
          res,
          {
            statusCode: 200,
            headers: [
              ['x-good', 'yes'],
              ['x-bad', 'a\nb'],
            ],
            body: 'hi',
          },
          seed,
          true,
        );
      } catch {
        sendGatewayError(res, new GatewayError('API_CONFIGURATION_ERROR'), seed);
      }
    });
    const res = await request(server).get('/');
    expect(res.status).toBe(500);
    expect(res.headers['x-good']).toBeUndefined();
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.headers['x-amzn-requestid']).toBe(seed.requestId);
    expect(res.headers['x-amz-apigw-id']).toBe(seed.extendedRequestId);
    expect(res.headers['x-amzn-trace-id']).toBeUndefined();
    expect(res.text).toBe('{"message": "Internal server error"}');
  });

  it('answers a gateway error from the table: status, error type and exact body bytes', async () => {
    const server = http.createServer((_req, res) => {
      sendGatewayError(res, new GatewayError('MISSING_AUTHENTICATION_TOKEN'), seed);
    });
    const res = await request(server).get('/');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(res.headers['content-length']).toBe('42');
    expect(res.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it('answers INTEGRATION_TIMEOUT as 504 with the InternalServerErrorException error type', async () => {
    const server = http.createServer((_req, res) => {
      sendGatewayError(res, new GatewayError('INTEGRATION_TIMEOUT'), seed);
    });
    const res = await request(server).get('/');
    expect(res.status).toBe(504);
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.text).toBe('{"message": "Endpoint request timed out"}');
  });
});

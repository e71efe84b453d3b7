import fc from 'fast-check';
import { listRoutes } from '../../src/cli/route-table.js';
import type { ResolvedOptions } from '../../src/config/types.js';
import { apiGateway, ConfigError, type Integration } from '../../src/index.js';
import { encodePathValue } from '../../src/integrations/http/http-uri.js';
import { silentLogger } from '../support/create-app.js';

function start(integration: Partial<Integration>, stageVariables?: Record<string, string>) {
  return () =>
    apiGateway({
      logger: silentLogger(),
      stageVariables,
      resources: {
        '/items/{id}': {
          GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'GET', ...integration } as Integration },
        },
      },
    });
}

describe('HTTP integration configuration', () => {
  it.each([
    [{}, 'GET /items/{id}: integration.uri: missing'],
    [{ uri: 'ftp://example.com/x' }, 'GET /items/{id}: integration.uri: must be an http:// or https:// URL'],
    [{ uri: '/relative' }, 'GET /items/{id}: integration.uri: not an absolute http(s) URL'],
    [
      { uri: 'https://example.com', httpMethod: undefined },
      'GET /items/{id}: integration.httpMethod: GET, POST',
    ],
    [
      { uri: 'https://example.com', httpMethod: 'FETCH' },
      'GET /items/{id}: integration.httpMethod: GET, POST',
    ],
    [
      { uri: 'https://example.com', connectionType: 'VPC_LINK' as const },
      'integration.connectionType: VPC_LINK',
    ],
    [
      { uri: 'https://example.com/items/{id}' },
      'GET /items/{id}: integration.uri: {id} has no value: map it in requestParameters',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's own stage-variable syntax, not a JS template.
    [{ uri: 'https://${stageVariables.host}/x' }, 'integration.uri: stage variable "host" is not set'],
  ])('refuses %j at startup, naming route and field', (integration, message) => {
    expect(start(integration)).toThrow(ConfigError);
    expect(start(integration)).toThrow(message);
  });

  it('accepts a mapped placeholder, a stage-variable host and INTERNET', () => {
    expect(
      start(
        {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's own stage-variable syntax, not a JS template.
          uri: 'https://${stageVariables.host}/items/{id}',
          connectionType: 'INTERNET',
          requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
        },
        { host: 'api.example.com' },
      ),
    ).not.toThrow();
  });

  it('refuses a definition whose HTTP backend sits behind a VPC link', async () => {
    const gateway = apiGateway({
      logger: silentLogger(),
      openapi: {
        openapi: '3.0.1',
        info: { title: 't', version: '1' },
        paths: {
          '/x': {
            get: {
              'x-amazon-apigateway-integration': {
                type: 'http_proxy',
                httpMethod: 'GET',
                uri: 'http://internal.example/x',
                connectionType: 'VPC_LINK',
                connectionId: 'abc',
              },
            },
          },
        },
      },
    });
    await expect(gateway.ready).rejects.toThrow('GET /x: integration.connectionType: VPC_LINK');
  });
});

describe('route table', () => {
  it('names an HTTP integration by its method and backend URL', () => {
    const rows = listRoutes({
      resources: {
        '/x': {
          GET: { integration: { type: 'HTTP_PROXY', httpMethod: 'ANY', uri: 'https://backend.example/x' } },
        },
      },
    } as ResolvedOptions);
    expect(rows).toEqual([
      { method: 'GET', path: '/x', integration: 'HTTP_PROXY ANY https://backend.example/x', auth: 'NONE' },
    ]);
  });
});

describe('encodePathValue', () => {
  it('keeps what is already a valid path, escapes the rest, and decodes back to the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const plain = text.replaceAll('%', '');
        const encoded = encodePathValue(plain);
        expect(encoded).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/);
        expect(decodeURIComponent(encoded)).toBe(plain);
      }),
    );
    expect(encodePathValue('a/b c%2F')).toBe('a/b%20c%2F');
  });
});

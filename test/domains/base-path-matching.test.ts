import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { mappingOf } from '../../src/http/matched-mapping.js';
import { type ApiGatewayMiddleware, customDomains } from '../../src/index.js';

/** Stands in for a gateway: answers with the base path it was handed the request under. */
function recorder(seen: string[]): ApiGatewayMiddleware {
  const fake = ((req: IncomingMessage, res: ServerResponse) => {
    seen.push(mappingOf(req)?.basePath ?? 'unmarked');
    res.end();
  }) as ApiGatewayMiddleware;
  fake.ready = Promise.resolve();
  return fake;
}

function call(handler: ReturnType<typeof customDomains>, url: string, host = 'api.example.com') {
  const res = {
    statusCode: 200,
    headersSent: false,
    destroyed: false,
    body: '',
  } as unknown as ServerResponse & {
    body: string;
  };
  Object.assign(res, {
    hasHeader: () => false,
    setHeader: () => undefined,
    end: (text?: string) => {
      res.body = text ?? '';
    },
  });
  handler({ url, headers: { host } } as IncomingMessage, res);
  return res;
}

const segment = fc.constantFrom('v1', 'v2', 'orders', 'v1x', 'a', 'prod');

describe('base path matching', () => {
  it('hands each request to the longest base path made of its leading whole segments, else answers 403', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(segment, { minLength: 0, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
          selector: (s) => s.join('/'),
        }),
        fc.array(segment, { maxLength: 5 }),
        fc.boolean(),
        (bases, segments, trailing) => {
          const seen: string[] = [];
          const gateway = recorder(seen);
          const mappings = Object.fromEntries(bases.map((b) => [b.join('/'), gateway]));
          const handler = customDomains({ 'api.example.com': { mappings } });
          const res = call(handler, `/${segments.join('/')}${trailing ? '/' : ''}?q=1`);
          const longest = bases
            .filter((b) => b.every((part, i) => segments[i] === part))
            .sort((a, b) => b.length - a.length)[0];
          if (longest === undefined) {
            expect(res.statusCode).toBe(403);
            expect(res.body).toBe('{"message":"Forbidden"}');
            expect(seen).toEqual([]);
          } else {
            expect(seen).toEqual([longest.length === 0 ? '' : `/${longest.join('/')}`]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('passes every other Host to next, unmarked', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(host.toLowerCase() !== 'api.example.com');
        const seen: string[] = [];
        const handler = customDomains({ 'api.example.com': { mappings: { '': recorder(seen) } } });
        let passed = false;
        handler({ url: '/x', headers: { host } } as IncomingMessage, {} as ServerResponse, () => {
          passed = true;
        });
        expect(passed).toBe(true);
        expect(seen).toEqual([]);
      }),
    );
  });
});

import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { isHealthRequest } from '../../src/gateway/health.js';

const asRequest = (method: string, url: string) => ({ method, url }) as IncomingMessage;

describe('the health path', () => {
  it('matches GET and HEAD on exactly that path, with any query, and nothing else', () => {
    const segment = fc.stringMatching(/^[a-z?/._-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS'),
        segment,
        segment,
        (method, path, rest) => {
          const healthPath = `/${path.replace(/\?/g, '')}`;
          const url = `/${path}${rest}`;
          const [requestPath] = url.split('?', 1);
          const expected = requestPath === healthPath && (method === 'GET' || method === 'HEAD');
          expect(isHealthRequest(asRequest(method, url), healthPath)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['/healthz', true],
    ['/healthz?probe=1', true],
    ['/healthz/', false],
    ['/healthzz', false],
    ['/prod/healthz', false],
  ])('GET %s is the health path /healthz: %s', (url, expected) => {
    expect(isHealthRequest(asRequest('GET', url), '/healthz')).toBe(expected);
  });
});

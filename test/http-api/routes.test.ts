import fc from 'fast-check';
import request from 'supertest';
import {
  compareRoutes,
  type HttpRouteKey,
  matchHttpRoute,
  matchRouteKey,
  parseRouteKey,
  sortRoutes,
} from '../../src/http-api/match-http-route.js';
import type { HttpApiOptions } from '../../src/index.js';
import { ConfigError, httpApi } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

function routesOf(...keys: string[]): HttpApiOptions {
  return {
    functions: { echo },
    routes: Object.fromEntries(keys.map((key) => [key, { integration: { function: 'echo' } }])),
  };
}

describe.each(HOSTS)('route priority, %s', (_name, host) => {
  // D-routes' own examples.
  const app = host(routesOf('GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}'));
  test.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/test/5', 'ANY /{proxy+}'],
  ])('%s %s → %s', async (method, path, routeKey) => {
    const res = await request(app)[method.toLowerCase() as 'get' | 'post'](path);
    expect(JSON.parse(res.text).routeKey).toBe(routeKey);
  });

  test('a method beats ANY on the same path; $default takes the rest', async () => {
    const api = host(routesOf('ANY /pets', 'POST /pets', '$default'));
    const routeKeyOf = async (r: Promise<{ text: string }>) => JSON.parse((await r).text).routeKey;
    expect(await routeKeyOf(request(api).post('/pets'))).toBe('POST /pets');
    expect(await routeKeyOf(request(api).get('/pets'))).toBe('ANY /pets');
    expect(await routeKeyOf(request(api).get('/elsewhere/deep'))).toBe('$default');
    expect(await routeKeyOf(request(api).get('/'))).toBe('$default');
  });

  test('the root path has its own route; {proxy+} needs a segment', async () => {
    const api = host(routesOf('GET /', 'GET /{proxy+}'));
    const routeKeyOf = async (path: string) => JSON.parse((await request(api).get(path)).text).routeKey;
    expect(await routeKeyOf('/')).toBe('GET /');
    expect(await routeKeyOf('/a')).toBe('GET /{proxy+}');
  });
});

describe('route keys refused at startup, naming the route and field', () => {
  test.each([
    ['GET pets', /routes\["GET pets"\]: the path must start with "\/"/],
    ['FETCH /pets', /routes\["FETCH \/pets"\]: the key must be/],
    ['GET /pets/', /routes\["GET \/pets\/"\]: the path must not end with "\/"/],
    ['GET /{proxy+}/x', /greedy path variable \{proxy\+\} must be the last segment/],
    ['GET /a/{b', /"\{b" is not a path variable/],
  ])('%s', (key, message) => {
    expect(() => httpApi({ ...routesOf(key), logger: silentLogger() })).toThrow(message);
  });

  test('two keys for one route ({id} and {petId})', () => {
    expect(() =>
      httpApi({ ...routesOf('GET /pets/{id}', 'GET /pets/{petId}'), logger: silentLogger() }),
    ).toThrow(/routes\["GET \/pets\/\{petId\}"\]: the same route as routes\["GET \/pets\/\{id\}"\]/);
  });

  test('integration fields', () => {
    const bad = (integration: object) => () =>
      httpApi({
        functions: { echo },
        routes: { 'GET /a': { integration: integration as never } },
        logger: silentLogger(),
      });
    expect(bad({ function: 'nope' })).toThrow(
      /routes\["GET \/a"\]\.integration\.function: "nope" is not in functions/,
    );
    expect(bad({ function: 'echo', payloadFormatVersion: '3.0' })).toThrow(
      /payloadFormatVersion: "2\.0" or "1\.0"/,
    );
    expect(bad({ function: 'echo', timeoutInMillis: 30001 })).toThrow(
      /timeoutInMillis: an integer from 50 to 30000/,
    );
    expect(bad({ function: 'echo', timeout: 1 })).toThrow(ConfigError);
  });
});

// Open-ended input: route tables and request paths drawn at random.
describe('matchHttpRoute, properties', () => {
  const literal = fc.constantFrom('a', 'b', 'pets');
  const segment = fc.oneof(literal, fc.constant('{p}'), fc.constant('{q}'));
  const routeKey = fc
    .tuple(fc.constantFrom('GET', 'POST', 'ANY'), fc.array(segment, { maxLength: 3 }), fc.boolean())
    .map(([method, segments, greedy]) => {
      // Names unique per key, as AWS requires.
      const named = segments.map((s, i) => (s.startsWith('{') ? `{v${i}}` : s));
      if (greedy) named.push('{proxy+}');
      return `${method} /${named.join('/')}`;
    });
  const table = fc
    .uniqueArray(routeKey, { minLength: 1, maxLength: 8 })
    .chain((keys) => fc.boolean().map((withDefault) => (withDefault ? [...keys, '$default'] : keys)));
  const path = fc.array(literal, { maxLength: 4 }).map((s) => `/${s.join('/')}`);
  const method = fc.constantFrom('GET', 'POST', 'PUT');

  function compile(keys: string[]): HttpRouteKey<string>[] | undefined {
    try {
      return sortRoutes(keys.map((k) => parseRouteKey(k, k)));
    } catch {
      return undefined; // two keys for one route: refused at startup
    }
  }

  const split = (p: string) => (p === '/' ? [] : p.slice(1).split('/'));

  test('the chosen route serves the request, and no route that serves it ranks above it', () => {
    fc.assert(
      fc.property(table, method, path, (keys, m, p) => {
        const routes = compile(keys);
        fc.pre(routes !== undefined);
        const all = routes as HttpRouteKey<string>[];
        const match = matchHttpRoute(all, m, p);
        const serving = all.filter((r) => matchRouteKey(r, m, split(p)) !== false);
        if (match === undefined) {
          expect(serving).toEqual([]);
          return;
        }
        expect(serving).toContain(match.route);
        for (const other of serving) expect(compareRoutes(match.route, other)).toBeLessThanOrEqual(0);
      }),
    );
  });

  test('AWS tiers: a full match beats any greedy one, any route beats $default, a method beats ANY on one path', () => {
    fc.assert(
      fc.property(table, method, path, (keys, m, p) => {
        const routes = compile(keys);
        fc.pre(routes !== undefined);
        const all = routes as HttpRouteKey<string>[];
        const match = matchHttpRoute(all, m, p);
        const serving = all.filter((r) => matchRouteKey(r, m, split(p)) !== false);
        const greedy = (r: HttpRouteKey<string>) => r.segments.at(-1)?.kind === 'greedy';
        if (serving.some((r) => r.method !== '$default')) expect(match?.route.method).not.toBe('$default');
        if (serving.some((r) => r.method !== '$default' && !greedy(r)))
          expect(greedy(match?.route as HttpRouteKey<string>)).toBe(false);
        const samePath = serving.filter(
          (r) => r.method !== '$default' && r.routeKey.split(' ')[1] === match?.route.routeKey.split(' ')[1],
        );
        if (samePath.some((r) => r.method === m)) expect(match?.route.method).toBe(m);
        // Literal over {p}: the chosen route has a variable only where no serving route has that literal.
        const chosen = match?.route as HttpRouteKey<string>;
        for (const other of serving) {
          if (greedy(other) !== greedy(chosen) || other.method === '$default') continue;
          const i = chosen.segments.findIndex((s, j) => s.kind !== other.segments[j]?.kind);
          if (i !== -1 && other.segments[i] !== undefined)
            expect(other.segments[i].kind === 'literal' && chosen.segments[i].kind !== 'literal').toBe(false);
        }
      }),
    );
  });
});

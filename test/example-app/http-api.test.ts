import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { parseTemplate } from '../../src/definitions/cloudformation/yaml-tags.js';
import type { HttpApiMiddleware, HttpApiOptions, HttpJwtAuthorizer } from '../../src/index.js';
import { closeApis, HOSTS } from '../http-api/hosts.js';
import { silentLogger } from '../support/create-app.js';

// server.js requires the package by its name: here that is the source.
jest.mock('apigw-express', () => jest.requireActual('../../src/index.ts'), { virtual: true });

const DIR = path.join(__dirname, '../../example-app/http-api');
const { createApp } = require('../../example-app/http-api/server.js') as {
  createApp(overrides?: Partial<HttpApiOptions>): { app: import('express').Express; pets: HttpApiMiddleware };
};
const api = require('../../example-app/http-api/api.js') as HttpApiOptions;
const { mintToken } = require('../../example-app/http-api/mint-token.js') as {
  mintToken(options?: Record<string, unknown>): string;
};

const NOW = Date.UTC(2026, 11, 7, 8, 0, 0);
const opened: HttpApiMiddleware[] = [];

/** server.js's app with the clock held, so the throttle's bucket refills only when the test says. */
function start(overrides: Partial<HttpApiOptions> = {}) {
  let now = NOW;
  const { app, pets } = createApp({ logger: silentLogger(), clock: () => now, ...overrides });
  opened.push(pets);
  return { app, advance: (ms: number) => (now += ms) };
}

afterAll(async () => {
  await Promise.all(opened.map((pets) => pets.close()));
  await closeApis();
});

describe('the pets HTTP API (example-app/http-api/server.js)', () => {
  const { app } = start();
  const token = (options: Record<string, unknown> = {}) => `Bearer ${mintToken({ now: NOW, ...options })}`;

  it('leaves the host app its own routes, mounted before it', async () => {
    const res = await request(app).get('/health');
    expect([res.status, res.text]).toEqual([200, 'ok']);
  });

  it('GET /pets/{id}: the path parameter, and a result without statusCode answered 200 as JSON', async () => {
    const res = await request(app).get('/pets/7');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe('{"id":"7","name":"Pet 7"}');
  });

  it('POST /pets: 201 with a Location header, one Set-Cookie per cookie, the created pet', async () => {
    const res = await request(start().app)
      .post('/pets')
      .set('Content-Type', 'application/json')
      .send('{"name":"Tom","species":"cat"}');
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/pets/tom');
    expect(res.headers['set-cookie']).toEqual(['last-pet=tom; Path=/; HttpOnly']);
    expect(res.text).toBe('{"id":"tom","name":"Tom","species":"cat"}');
  });

  it('POST /pets without a name: the function answers 400', async () => {
    const res = await request(start().app).post('/pets').set('Content-Type', 'application/json').send('{}');
    expect([res.status, res.text]).toEqual([400, '{"message":"name is required"}']);
  });

  it('POST /pets is throttled by its RouteSettings: burst 2, then 429 until the bucket refills (1/s)', async () => {
    const { app: throttled, advance } = start();
    const post = () =>
      request(throttled).post('/pets').set('Content-Type', 'application/json').send('{"name":"Rex"}');
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(429);
    // Other routes have their own buckets.
    expect((await request(throttled).get('/pets/1')).status).toBe(200);
    advance(1_000);
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(429);
  });

  it('GET /pets: payload format 1.0, the REST proxy event and result', async () => {
    const res = await request(app).get('/pets?limit=3');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({
      httpMethod: 'GET',
      path: '/pets',
      pets: [
        { id: '1', name: 'Pet 1' },
        { id: '2', name: 'Pet 2' },
        { id: '3', name: 'Pet 3' },
      ],
    });
  });

  describe('GET /me behind the JWT authorizer (scope pets/read)', () => {
    it('passes a minted token: the claims and scopes reach the function', async () => {
      const res = await request(app).get('/me').set('Authorization', token());
      expect([res.status, res.text]).toEqual([200, '{"sub":"user-1","scopes":["pets/read"]}']);
    });

    it('accepts the token without "Bearer " too', async () => {
      const res = await request(app)
        .get('/me')
        .set('Authorization', mintToken({ now: NOW }));
      expect(res.status).toBe(200);
    });

    it('answers 401 with www-authenticate: Bearer to a request without a token', async () => {
      const res = await request(app).get('/me');
      expect([res.status, res.text]).toEqual([401, '{"message":"Unauthorized"}']);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 naming the problem to a token for another audience', async () => {
      const res = await request(app)
        .get('/me')
        .set('Authorization', token({ audience: 'someone-else' }));
      expect([res.status, res.text]).toEqual([401, '{"message":"Unauthorized"}']);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
      );
    });

    it('refuses an expired token and a token of another issuer', async () => {
      const expired = await request(app)
        .get('/me')
        .set('Authorization', token({ now: NOW - 7_200_000 }));
      expect(expired.status).toBe(401);
      const foreign = await request(app)
        .get('/me')
        .set('Authorization', token({ issuer: 'https://issuer.example.com' }));
      expect(foreign.status).toBe(401);
    });

    it('refuses a good token without the route scope (403)', async () => {
      const res = await request(app)
        .get('/me')
        .set('Authorization', token({ scope: 'pets/write' }));
      expect(res.status).toBe(403);
    });
  });

  describe('DELETE /pets/{id} behind the Lambda authorizer (simple responses)', () => {
    it('answers 401 without calling it when X-Admin-Token is missing', async () => {
      const res = await request(app).delete('/pets/7');
      expect([res.status, res.text]).toEqual([401, '{"message":"Unauthorized"}']);
    });

    it('refuses a wrong token (isAuthorized false)', async () => {
      const res = await request(app).delete('/pets/7').set('X-Admin-Token', 'guess');
      expect(res.status).toBe(403);
    });

    it('lets the right token through, its context in requestContext.authorizer.lambda', async () => {
      const res = await request(app).delete('/pets/7').set('X-Admin-Token', 'letmein');
      expect([res.status, res.text]).toEqual([200, '{"deleted":"7","by":"admin"}']);
    });
  });

  describe('CorsConfiguration', () => {
    it('answers a preflight itself, with no OPTIONS route', async () => {
      const res = await request(app)
        .options('/pets')
        .set('Origin', 'http://localhost:5173')
        .set('Access-Control-Request-Method', 'POST');
      expect(res.status).toBeLessThan(300);
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-methods': 'GET,POST,DELETE',
        'access-control-allow-headers': 'authorization,content-type,x-admin-token',
        'access-control-max-age': '600',
      });
    });

    it("adds the headers to the functions' answers for an allowed origin, none for another", async () => {
      const allowed = await request(app).get('/pets/7').set('Origin', 'http://localhost:5173');
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(allowed.headers['access-control-expose-headers']).toBe('location');
      const other = await request(app).get('/pets/7').set('Origin', 'https://elsewhere.example.com');
      expect(other.status).toBe(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('GET /{proxy+}: a GET no other route matches reaches the catch-all function', async () => {
    const res = await request(app).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"message":"no pet page /no/such/page","routeKey":"GET /{proxy+}"}');
  });

  it("answers API Gateway's own 404 to a method no route takes", async () => {
    const res = await request(app).patch('/pets/7');
    expect([res.status, res.text]).toEqual([404, '{"message":"Not Found"}']);
  });

  it('publishes the issuer discovery document and the public keys', async () => {
    const discovery = await request(app)
      .get('/.well-known/openid-configuration')
      .set('Host', 'localhost:3000');
    expect(JSON.parse(discovery.text)).toEqual({
      issuer: 'http://localhost:3000',
      jwks_uri: 'http://localhost:3000/.well-known/jwks.json',
    });
    // Deployed, the API's own domain over https.
    const deployed = await request(app)
      .get('/.well-known/openid-configuration')
      .set('Host', 'pets.example.com');
    expect(JSON.parse(deployed.text).jwks_uri).toBe('https://pets.example.com/.well-known/jwks.json');
    const keys = await request(app).get('/.well-known/jwks.json');
    expect(JSON.parse(keys.text)).toEqual(
      JSON.parse(fs.readFileSync(path.join(DIR, 'functions/jwks.json'), 'utf8')),
    );
  });
});

describe.each(HOSTS)('api.js mounted on %s', (_name, host) => {
  const server = host({ ...api, clock: () => NOW });

  it('answers GET /pets/{id}, POST /pets with its cookie, GET /me with a token, and the catch-all', async () => {
    expect((await request(server).get('/pets/7')).text).toBe('{"id":"7","name":"Pet 7"}');
    const created = await request(server)
      .post('/pets')
      .set('Content-Type', 'application/json')
      .send('{"name":"Tom"}');
    expect([created.status, created.headers.location, created.headers['set-cookie']]).toEqual([
      201,
      '/pets/tom',
      ['last-pet=tom; Path=/; HttpOnly'],
    ]);
    const me = await request(server)
      .get('/me')
      .set('Authorization', `Bearer ${mintToken({ now: NOW })}`);
    expect([me.status, me.text]).toEqual([200, '{"sub":"user-1","scopes":["pets/read"]}']);
    expect((await request(server).get('/me')).status).toBe(401);
    expect((await request(server).get('/elsewhere')).text).toBe(
      '{"message":"no pet page /elsewhere","routeKey":"GET /{proxy+}"}',
    );
  });
});

describe("the JWT authorizer without a jwks option finds the keys at the issuer's discovery", () => {
  // As `serve template.yaml` will run it: the issuer is the API itself, which publishes its keys.
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
    const { jwks: _file, ...jwt } = (api.authorizers as Record<string, HttpJwtAuthorizer>).PetsJwt;
    const { app } = createApp({
      logger: silentLogger(),
      authorizers: { ...api.authorizers, PetsJwt: { ...jwt, issuer: base } },
    });
    server.on('request', app);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('verifies a token whose iss is the API', async () => {
    const res = await request(server)
      .get('/me')
      .set('Authorization', `Bearer ${mintToken({ issuer: base })}`);
    expect([res.status, res.text]).toEqual([200, '{"sub":"user-1","scopes":["pets/read"]}']);
  });
});

describe('mint-token.js', () => {
  it('prints a token the API accepts, and --scope changes its scope', async () => {
    const script = path.join(DIR, 'mint-token.js');
    const { PORT: _p, JWT_ISSUER: _i, ...env } = process.env;
    const printed = execFileSync(process.execPath, [script], { env }).toString().trim();
    const other = execFileSync(process.execPath, [script, '--scope', 'pets/write'], { env })
      .toString()
      .trim();
    const { app } = start({ clock: Date.now });
    expect((await request(app).get('/me').set('Authorization', `Bearer ${printed}`)).status).toBe(200);
    expect((await request(app).get('/me').set('Authorization', `Bearer ${other}`)).status).toBe(403);
  });
});

// The template's YAML, read loosely: a missing field fails the comparison anyway.
// biome-ignore lint/suspicious/noExplicitAny: walking parsed YAML
type Yaml = any;

describe('template.yaml and api.js declare the same API', () => {
  const template = parseTemplate(fs.readFileSync(path.join(DIR, 'template.yaml'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Yaml }>;
    Globals: { Function: { CodeUri: string } };
  };
  const resources = Object.entries(template.Resources);

  it('has the routes of the functions HttpApi events, payload formats and guards included', () => {
    const routes: Record<string, unknown> = {};
    for (const [id, r] of resources) {
      for (const event of Object.values<Yaml>(r.Properties?.Events ?? {})) {
        const p = event.Properties;
        const key = `${p.Method} ${p.Path}`;
        routes[key] = {
          integration: { function: id, payloadFormatVersion: p.PayloadFormatVersion ?? '2.0' },
          ...(p.Auth?.Authorizer !== undefined && { authorizer: p.Auth.Authorizer }),
          ...(p.Auth?.AuthorizationScopes !== undefined && {
            authorizationScopes: p.Auth.AuthorizationScopes,
          }),
        };
      }
    }
    expect(routes).toEqual(api.routes);
  });

  it("has the functions' handlers", () => {
    const handlers = Object.fromEntries(
      resources
        .filter(([, r]) => r.Type === 'AWS::Serverless::Function')
        .map(([id, r]) => [id, r.Properties.Handler]),
    );
    const given = api.functions as Record<string, { handler: string; codeUri: string }>;
    expect(Object.fromEntries(Object.entries(given).map(([id, f]) => [id, f.handler]))).toEqual(handlers);
    for (const f of Object.values(given))
      expect(f.codeUri).toBe(path.resolve(DIR, template.Globals.Function.CodeUri));
  });

  it('has the authorizers, CORS and route settings of the AWS::Serverless::HttpApi', () => {
    const props = template.Resources.PetsApi.Properties;
    const { PetsJwt, AdminAuthorizer } = props.Auth.Authorizers;
    expect(api.authorizers).toEqual({
      PetsJwt: {
        type: 'JWT',
        identitySource: PetsJwt.IdentitySource,
        issuer: 'http://localhost:3000',
        audience: PetsJwt.JwtConfiguration.audience,
        jwks: path.join(DIR, 'functions/jwks.json'),
      },
      AdminAuthorizer: {
        type: 'REQUEST',
        function: AdminAuthorizer.FunctionArn['Fn::GetAtt'][0],
        authorizerPayloadFormatVersion: AdminAuthorizer.AuthorizerPayloadFormatVersion,
        enableSimpleResponses: AdminAuthorizer.EnableSimpleResponses,
        identitySource: AdminAuthorizer.Identity.Headers.map((h: string) => `$request.header.${h}`),
        authorizerResultTtlInSeconds: AdminAuthorizer.Identity.ReauthorizeEvery,
      },
    });
    expect(template).toMatchObject({ Parameters: { JwtIssuer: { Default: 'http://localhost:3000' } } });
    const cors = props.CorsConfiguration;
    expect(api.cors).toEqual({
      allowOrigins: cors.AllowOrigins,
      allowMethods: cors.AllowMethods,
      allowHeaders: cors.AllowHeaders,
      exposeHeaders: cors.ExposeHeaders,
      maxAge: cors.MaxAge,
    });
    expect(api.routeSettings).toEqual(
      Object.fromEntries(
        Object.entries<Yaml>(props.RouteSettings).map(([key, s]) => [
          key,
          { throttle: { burstLimit: s.ThrottlingBurstLimit, rateLimit: s.ThrottlingRateLimit } },
        ]),
      ),
    );
  });
});

/** `serve template.yaml` on a free port, with the issuer at that port (`--parameter-overrides JwtIssuer=…`). */
async function serveTemplate(): Promise<{
  base: string;
  output: () => string;
  ended: Promise<number | null>;
  stop(): Promise<number | null>;
}> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const base = `http://localhost:${port}`;
  const { PORT: _p, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [
      '-r',
      require.resolve('tsx/cjs'),
      path.join(__dirname, '../../src/cli.ts'),
      'serve',
      path.join(DIR, 'template.yaml'),
      '--port',
      String(port),
      '--parameter-overrides',
      `JwtIssuer=${base}`,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve) => {
    const look = (chunk: Buffer) => {
      output += chunk;
      if (/ on http:\/\/\S+/.test(output)) resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    ended.then(() => resolve());
  });
  return {
    base,
    output: () => output,
    ended,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return ended;
    },
  };
}

describe('apigw-express serve example-app/http-api/template.yaml', () => {
  // Every route as through server.js, the JWT authorizer finding its keys by discovery at the
  // API itself, the issuer the template's JwtIssuer names.
  it('serves the template: routes, authorizers, CORS and route settings', async () => {
    const served = await serveTemplate();
    try {
      const { base } = served;
      expect(served.output()).toContain('HTTP API PetsApi: 8 routes on http://');
      expect((await request(base).get('/pets/7')).text).toBe('{"id":"7","name":"Pet 7"}');
      const me = await request(base)
        .get('/me')
        .set('Authorization', `Bearer ${mintToken({ issuer: base })}`);
      expect([me.status, me.text]).toEqual([200, '{"sub":"user-1","scopes":["pets/read"]}']);
      expect((await request(base).get('/me')).status).toBe(401);
      expect((await request(base).delete('/pets/7')).status).toBe(401);
      const deleted = await request(base).delete('/pets/7').set('X-Admin-Token', 'letmein');
      expect([deleted.status, deleted.text]).toEqual([200, '{"deleted":"7","by":"admin"}']);
      const preflight = await request(base)
        .options('/pets')
        .set('Origin', 'http://localhost:5173')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(preflight.headers['access-control-allow-methods']).toBe('GET,POST,DELETE');
      const legacy = await request(base).get('/pets?limit=1');
      expect(JSON.parse(legacy.text)).toMatchObject({ httpMethod: 'GET', path: '/pets' });
      expect((await request(base).get('/x')).text).toBe(
        '{"message":"no pet page /x","routeKey":"GET /{proxy+}"}',
      );
      // Burst 2, refilled at 1/s: of three POSTs sent at once, the third is refused.
      const posts = await Promise.all(
        [1, 2, 3].map(() =>
          request(base).post('/pets').set('Content-Type', 'application/json').send('{"name":"Rex"}'),
        ),
      );
      expect(posts.map((r) => r.status).sort()).toEqual([201, 201, 429]);
    } finally {
      await served.stop();
    }
  }, 30_000);
});

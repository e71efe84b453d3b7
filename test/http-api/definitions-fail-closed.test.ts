import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { exportHttpApiOpenApi } from '../../src/http-api/openapi/export-http-api-openapi.js';
import { importHttpApiOpenApi } from '../../src/http-api/openapi/import-http-api-openapi.js';
import type { HttpApiMiddleware } from '../../src/index.js';
import { ConfigError, httpApi, loadHttpApiDefinitions } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const opened: HttpApiMiddleware[] = [];
afterAll(() => Promise.all(opened.map((api) => api.close())));

const lambdaUri = (fn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;
const integration = { type: 'aws_proxy', payloadFormatVersion: '2.0', uri: lambdaUri('fn') };
const SCHEMES = {
  users: {
    type: 'oauth2',
    'x-amazon-apigateway-authorizer': {
      type: 'jwt',
      identitySource: '$request.header.Authorization',
      jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['a'] },
    },
  },
  sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
};

function document(opSecurity: unknown, rootSecurity?: unknown) {
  return {
    openapi: '3.0.1',
    info: { title: 't', version: '1' },
    ...(rootSecurity !== undefined && { security: rootSecurity }),
    paths: {
      '/a': {
        get: {
          'x-amazon-apigateway-integration': integration,
          ...(opSecurity !== undefined && { security: opSecurity }),
        },
      },
    },
    components: { securitySchemes: SCHEMES },
  };
}

describe('OpenAPI security that must not read as an open route', () => {
  test.each([[['users']], [[null]], [[{ users: [] }, 'users']]])(
    'security: %j is refused at startup',
    async (security) => {
      const api = httpApi({
        openapi: document(security),
        functions: { fn: async () => 'ok' },
        logger: silentLogger(),
      });
      opened.push(api);
      const error = await api.ready.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(
        /paths\["\/a"\]\.get\.security\[\d\]: a security requirement.*refusing to serve the route open/,
      );
      expect((await request(express().use(api)).get('/a')).status).toBe(500);
    },
  );

  test.each([[{ users: 'admin' }], [{ users: null }], [{ users: [1] }]])(
    'scopes not a list of names (%j) are refused, never dropped',
    async (requirement) => {
      await expect(importHttpApiOpenApi(document([requirement]), { baseDir: '.' })).rejects.toThrow(
        /\.security: users: a list of scope names.*refusing to drop the route's scopes/,
      );
    },
  );

  test('a route is open only where its (or the document’s) security opens it (property)', async () => {
    const securities = [
      undefined,
      [],
      [{}],
      [{ users: [] }],
      [{ users: ['read'] }],
      [{ users: 'read' }],
      [{ sigv4: [] }],
      [{ nobody: [] }],
      ['users'],
      [null],
      [{}, { users: ['read'] }],
      [{ users: [], sigv4: [] }],
      { users: [] },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...securities), fc.constantFrom(...securities), async (op, root) => {
        const imported = await importHttpApiOpenApi(document(op, root), { baseDir: '.' }).catch((error) => {
          expect(error).toBeInstanceOf(ConfigError);
          return undefined;
        });
        if (imported === undefined) return;
        const effective = (op ?? root) as Record<string, string[]>[] | undefined;
        const requirement = effective?.find((r) => Object.keys(r).length > 0);
        const route = imported.options.routes?.['GET /a'];
        expect(route).toBeDefined();
        if (requirement === undefined) {
          expect(route?.authorizer ?? route?.authorizationType).toBeUndefined();
          return;
        }
        const [name] = Object.keys(requirement);
        if (name === 'sigv4') expect(route?.authorizationType).toBe('AWS_IAM');
        else {
          expect(route?.authorizer).toBe(name);
          const scopes = requirement[name];
          expect(route?.authorizationScopes ?? []).toEqual(scopes);
        }
      }),
      { numRuns: 200 },
    );
  });
});

function cfnTemplate(
  route: Record<string, unknown>,
  api: Record<string, unknown> = { ProtocolType: 'HTTP' },
) {
  return {
    Resources: {
      Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: api },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: 'a.b', Runtime: 'nodejs20.x', Code: { ZipFile: 'x' } },
      },
      I: {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: {
          ApiId: { Ref: 'Api' },
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] },
          PayloadFormatVersion: '2.0',
        },
      },
      A: {
        Type: 'AWS::ApiGatewayV2::Authorizer',
        Properties: {
          ApiId: { Ref: 'Api' },
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['a'] },
        },
      },
      R: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /a', Target: 'integrations/I', ...route },
      },
    },
  };
}

describe('CloudFormation routes that name an authorizer they would not use', () => {
  test.each([
    [{ AuthorizerId: { Ref: 'A' } }, /AuthorizerId: "A" with AuthorizationType NONE \(the default\)/],
    [
      { AuthorizationType: 'NONE', AuthorizerId: { Ref: 'A' } },
      /AuthorizerId: "A" with AuthorizationType NONE;/,
    ],
    [
      { AuthorizationType: 'AWS_IAM', AuthorizerId: { Ref: 'A' } },
      /AuthorizerId: "A" with AuthorizationType AWS_IAM/,
    ],
  ])('%j is refused at startup', async (route, message) => {
    await expect(loadHttpApiDefinitions({ template: cfnTemplate(route) })).rejects.toThrow(message);
  });

  test('AuthorizationType JWT with the AuthorizerId still loads, guarded', async () => {
    const [api] = await loadHttpApiDefinitions({
      template: cfnTemplate({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'A' } }),
    });
    expect(api.options.routes?.['GET /a']).toMatchObject({ authorizer: 'A' });
  });

  test('a Route resource on a key the Body also integrates is refused (it would shadow the Body’s guard)', async () => {
    const body = {
      ...document([{ users: [] }]),
      paths: {
        '/a': {
          get: {
            'x-amazon-apigateway-integration': { ...integration, uri: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
            security: [{ users: [] }],
          },
        },
      },
    };
    await expect(
      loadHttpApiDefinitions({ template: cfnTemplate({ AuthorizationType: 'NONE' }, { Body: body }) }),
    ).rejects.toThrow(
      /Resources\.Api: route "GET \/a" is defined both in the API's OpenAPI document and by the template/,
    );
  });

  test('a Route resource integrating an operation the Body guards without integration needs the same guard', async () => {
    const body = { ...document(undefined), paths: { '/a': { get: { security: [{ users: [] }] } } } };
    await expect(
      loadHttpApiDefinitions({ template: cfnTemplate({ AuthorizationType: 'NONE' }, { Body: body }) }),
    ).rejects.toThrow(
      /route "GET \/a" is guarded in the API's OpenAPI document and differently by the template/,
    );
  });
});

function samTemplate(
  paths: Record<string, unknown>,
  event: Record<string, unknown>,
  defaultAuthorizer?: string,
) {
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Api: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Auth: {
            Authorizers: {
              Other: {
                IdentitySource: '$request.header.X-Other',
                JwtConfiguration: { Issuer: 'https://other.example.com', Audience: ['o'] },
              },
            },
            ...(defaultAuthorizer !== undefined && { DefaultAuthorizer: defaultAuthorizer }),
          },
          DefinitionBody: {
            openapi: '3.0.1',
            info: { title: 'body', version: '1' },
            paths,
            components: { securitySchemes: SCHEMES },
          },
        },
      },
      F: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          CodeUri: '.',
          Handler: 'a.b',
          Runtime: 'nodejs20.x',
          Events: {
            E: {
              Type: 'HttpApi',
              Properties: { ApiId: { Ref: 'Api' }, Path: '/a', Method: 'get', ...event },
            },
          },
        },
      },
    },
  };
}

describe('SAM events on operations of a DefinitionBody', () => {
  const guardedNoIntegration = { '/a': { get: { security: [{ users: ['read'] }] } } };

  test('an event integrating an operation the body guards keeps the body’s guard (and it refuses)', async () => {
    for (const defaultAuthorizer of [undefined, 'Other']) {
      const template = samTemplate(guardedNoIntegration, {}, defaultAuthorizer);
      const [api] = await loadHttpApiDefinitions({ template });
      expect(api.options.routes?.['GET /a']).toMatchObject({
        authorizer: 'users',
        authorizationScopes: ['read'],
      });
      const mw = httpApi({ template, logger: silentLogger() });
      opened.push(mw);
      await mw.ready;
      const res = await request(express().use(mw)).get('/a');
      expect(res.status).toBe(401);
    }
  });

  test('an event with its own Auth on such an operation is refused (two security requirements)', async () => {
    await expect(
      loadHttpApiDefinitions({
        template: samTemplate(guardedNoIntegration, { Auth: { Authorizer: 'Other' } }, 'Other'),
      }),
    ).rejects.toThrow(/Events\.E\.Properties\.Auth: the API's DefinitionBody already guards "GET \/a"/);
  });

  test('an event on an operation the body integrates leaves the body’s route and guard; its Auth guards an unguarded one', async () => {
    const op = (security?: unknown) => ({
      '/a': {
        get: {
          'x-amazon-apigateway-integration': { ...integration, uri: lambdaUri('Body') },
          ...(security !== undefined && { security }),
        },
      },
    });
    const load = async (paths: Record<string, unknown>, event: Record<string, unknown>, d?: string) =>
      (await loadHttpApiDefinitions({ template: samTemplate(paths, event, d) }))[0].options.routes?.[
        'GET /a'
      ];
    // Before: the event's route replaced the body's, and served the guarded operation open.
    expect(await load(op([{ users: ['read'] }]), {})).toMatchObject({
      authorizer: 'users',
      authorizationScopes: ['read'],
      integration: { function: 'Body' },
    });
    expect((await load(op(), {}, 'Other'))?.authorizer).toBe('Other');
    expect((await load(op(), {}))?.authorizer).toBeUndefined();
    expect((await load(op(), { Auth: { Authorizer: 'Other' } }))?.authorizer).toBe('Other');
    await expect(load(op([{ users: [] }]), { Auth: { Authorizer: 'Other' } })).rejects.toThrow(
      /Events\.E\.Properties\.Auth: the API's DefinitionBody already guards "GET \/a"/,
    );
  });

  test('a body operation without integration or security changes nothing for the event', async () => {
    const [open] = await loadHttpApiDefinitions({ template: samTemplate({ '/a': { get: {} } }, {}) });
    expect(open.options.routes?.['GET /a'].authorizer).toBeUndefined();
    const [guarded] = await loadHttpApiDefinitions({
      template: samTemplate({ '/a': { get: {} } }, {}, 'Other'),
    });
    expect(guarded.options.routes?.['GET /a'].authorizer).toBe('Other');
  });
});

describe('SAM DefinitionBody operations × events × DefaultAuthorizer (property)', () => {
  const KEYS = ['GET /a', 'GET /b', 'OPTIONS /a'] as const;
  const BODY = ['absent', 'open', 'empty', 'guarded', 'bare-open', 'bare-guarded'] as const;
  const EVENT = ['none', 'no-auth', 'auth-none', 'auth-other'] as const;
  type Body = (typeof BODY)[number];
  type Event = (typeof EVENT)[number];

  function template(body: Body[], events: Event[], defaultAuthorizer: string | undefined) {
    const paths: Record<string, Record<string, unknown>> = {};
    KEYS.forEach((key, i) => {
      const state = body[i];
      if (state === 'absent') return;
      const [method, path] = key.split(' ');
      const op: Record<string, unknown> = {};
      if (!state.startsWith('bare'))
        op['x-amazon-apigateway-integration'] = { ...integration, uri: { 'Fn::GetAtt': ['F', 'Arn'] } };
      if (state.endsWith('guarded')) op.security = [{ users: ['read'] }];
      if (state === 'empty') op.security = [];
      paths[path] = { ...paths[path], [method.toLowerCase()]: op };
    });
    const t = samTemplate(paths, {}, defaultAuthorizer);
    t.Resources.F.Properties.Events = Object.fromEntries(
      KEYS.flatMap((key, i) => {
        const e = events[i];
        if (e === 'none') return [];
        const [Method, Path] = key.split(' ');
        const Auth =
          e === 'auth-none'
            ? { Authorizer: 'NONE' }
            : e === 'auth-other'
              ? { Authorizer: 'Other' }
              : undefined;
        return [
          [
            `E${i}`,
            { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Api' }, Path, Method, ...(Auth && { Auth }) } },
          ],
        ];
      }),
    ) as never;
    return t;
  }

  test('each route carries exactly the guard SAM and import-api give it; conflicts refuse to start', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.constantFrom(...BODY), fc.constantFrom(...BODY), fc.constantFrom(...BODY)),
        fc.tuple(fc.constantFrom(...EVENT), fc.constantFrom(...EVENT), fc.constantFrom(...EVENT)),
        fc.constantFrom(undefined, 'Other'),
        async (body, events, defaultAuthorizer) => {
          const refusal = KEYS.some((_key, i) => {
            const [b, e] = [body[i], events[i]];
            if (e === 'none') return false;
            // The event's Auth.Authorizer is appended to the body's security: a second requirement.
            if (b === 'guarded' || b === 'bare-guarded') return e !== 'no-auth';
            return e === 'auth-none' && defaultAuthorizer === undefined;
          });
          const loaded = await loadHttpApiDefinitions({
            template: template(body, events, defaultAuthorizer),
          }).then(
            (apis) => apis,
            (error: unknown) => {
              expect(error).toBeInstanceOf(ConfigError);
              return undefined;
            },
          );
          const anyRoute = KEYS.some(
            (_k, i) => events[i] !== 'none' || ['open', 'empty', 'guarded'].includes(body[i]),
          );
          if (!anyRoute) return;
          expect(loaded === undefined).toBe(refusal);
          if (loaded === undefined) return;
          const routes = loaded[0].options.routes ?? {};
          KEYS.forEach((key, i) => {
            const [b, e] = [body[i], events[i]];
            const route = routes[key];
            const byDefault = key.startsWith('OPTIONS') ? undefined : defaultAuthorizer;
            let expected: string | undefined;
            const integrated = ['open', 'empty', 'guarded'].includes(b);
            if (e === 'none' && !integrated) {
              expect(route).toBeUndefined();
              return;
            }
            if (b.endsWith('guarded') && (e === 'none' || e === 'no-auth' || !integrated)) expected = 'users';
            else if (e === 'none' || e === 'no-auth') expected = byDefault;
            else expected = e === 'auth-other' ? 'Other' : undefined;
            expect(route?.authorizer).toBe(expected);
            if (expected === 'users') expect(route?.authorizationScopes).toEqual(['read']);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CloudFormation: one route key, two Route resources', () => {
  test('a second Route with the same key is refused, not allowed to replace the guarded one', async () => {
    const template = cfnTemplate({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'A' } });
    Object.assign(template.Resources, {
      R2: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /a', Target: 'integrations/I' },
      },
    });
    await expect(loadHttpApiDefinitions({ template })).rejects.toThrow(
      /Resources\.R2\.Properties\.RouteKey: route "GET \/a" is declared twice/,
    );
  });

  test('a Route on the key quick create made ($default) is refused too', async () => {
    const template = cfnTemplate(
      { RouteKey: '$default' },
      { ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:123456789012:function:Fn' },
    );
    await expect(loadHttpApiDefinitions({ template })).rejects.toThrow(/route "\$default" is declared twice/);
  });
});

describe('export then import keeps every route’s guard (property)', () => {
  const guard = fc.oneof(
    fc.constant({}),
    fc.constant({ authorizationType: 'AWS_IAM' as const }),
    fc.constant({ authorizer: 'lam' }),
    fc
      .subarray(['read', 'write', 'admin'])
      .map((scopes) => ({ authorizer: 'users', ...(scopes.length > 0 && { authorizationScopes: scopes }) })),
  );
  test('no route comes back more open, or differently guarded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('GET /a', 'POST /a', 'ANY /b/{id}', 'GET /{proxy+}', '$default'),
          guard,
          {
            minKeys: 1,
          },
        ),
        async (guards) => {
          const routes = Object.fromEntries(
            Object.entries(guards).map(([key, g]) => [key, { integration: { function: 'fn' }, ...g }]),
          );
          const doc = exportHttpApiOpenApi({
            routes,
            authorizers: {
              users: { type: 'JWT', issuer: 'https://issuer.example.com', audience: ['a'] },
              lam: {
                type: 'REQUEST',
                function: 'auth',
                authorizerPayloadFormatVersion: '2.0',
                identitySource: ['$request.header.X'],
              },
            },
          });
          const { options } = await importHttpApiOpenApi(doc, { baseDir: '.' });
          for (const [key, g] of Object.entries(guards)) {
            const back = options.routes?.[key];
            expect(back).toBeDefined();
            expect({
              authorizer: back?.authorizer,
              authorizationType: back?.authorizationType,
              authorizationScopes: back?.authorizationScopes,
            }).toEqual({
              authorizer: (g as { authorizer?: string }).authorizer,
              authorizationType: (g as { authorizationType?: string }).authorizationType,
              authorizationScopes: (g as { authorizationScopes?: string[] }).authorizationScopes,
            });
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('options given beside a definition cannot drop its guards', () => {
  const template = () => samTemplate({}, {}, 'Other');

  test('an empty authorizers map keeps the definition’s authorizers; the route still refuses', async () => {
    const api = httpApi({ template: template(), authorizers: {}, logger: silentLogger() });
    opened.push(api);
    await api.ready;
    expect((await request(express().use(api)).get('/a')).status).toBe(401);
  });

  test('an authorizer of the definition given as undefined is refused at startup', async () => {
    const api = httpApi({
      template: template(),
      authorizers: { Other: undefined as never },
      logger: silentLogger(),
    });
    opened.push(api);
    await expect(api.ready).rejects.toThrow(/authorizers\["Other"\]\.type/);
    expect((await request(express().use(api)).get('/a')).status).toBe(500);
  });

  test('routes beside a definition are refused', () => {
    expect(() => httpApi({ template: template(), routes: {}, logger: silentLogger() })).toThrow(ConfigError);
  });
});

test('SAM: an event with Auth but no Authorizer on an operation the body guards keeps the body’s guard', async () => {
  const template = samTemplate(
    { '/a': { get: { security: [{ users: ['read'] }] } } },
    { Auth: { AuthorizationScopes: ['write'] } },
    'Other',
  );
  const [api] = await loadHttpApiDefinitions({ template });
  expect(api.options.routes?.['GET /a']).toMatchObject({
    authorizer: 'users',
    authorizationScopes: ['read'],
  });
});

test('CloudFormation: a Route is open only with AuthorizationType NONE (or none) and no AuthorizerId (property)', async () => {
  const lambdaAuthorizer = {
    L: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        AuthorizerUri: lambdaUri('Fn'),
      },
    },
  };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(undefined, 'NONE', 'JWT', 'CUSTOM', 'AWS_IAM', 'jwt', 'MAGIC'),
      fc.constantFrom(undefined, 'A', 'L', 'NONE', 'missing'),
      fc.constantFrom(undefined, [], ['s']),
      async (type, id, scopes) => {
        const template = cfnTemplate({
          ...(type !== undefined && { AuthorizationType: type }),
          ...(id !== undefined && { AuthorizerId: id === 'A' || id === 'L' ? { Ref: id } : id }),
          ...(scopes !== undefined && { AuthorizationScopes: scopes }),
        });
        Object.assign(template.Resources, lambdaAuthorizer);
        const loaded = await loadHttpApiDefinitions({ template }).catch((error) => {
          expect(error).toBeInstanceOf(ConfigError);
          return undefined;
        });
        const noId = id === undefined || id === 'NONE';
        const hasScopes = scopes !== undefined && scopes.length > 0;
        let expected: string | undefined | 'refused' = 'refused';
        if ((type === undefined || type === 'NONE') && noId) expected = undefined;
        else if (type === 'AWS_IAM' && noId) expected = 'AWS_IAM';
        else if (type === 'JWT' && id === 'A') expected = 'A';
        else if (type === 'CUSTOM' && id === 'L' && !hasScopes) expected = 'L';
        if (loaded === undefined) {
          expect(expected).toBe('refused');
          return;
        }
        const route = loaded[0].options.routes?.['GET /a'];
        expect(route?.authorizer ?? route?.authorizationType).toBe(expected);
        if (expected === 'A') expect(route?.authorizationScopes ?? []).toEqual(scopes ?? []);
      },
    ),
    { numRuns: 200 },
  );
});

import fc from 'fast-check';
import request from 'supertest';
import { wildcardMatch } from '../../src/auth/evaluate-policy.js';
import { applyVerdict, readVerdict } from '../../src/http-api/auth/lambda-authorizer.js';
import type { HttpApiOptions, HttpLambdaAuthorizer } from '../../src/index.js';
import { closeApis, echo, HOSTS } from './hosts.js';

afterAll(closeApis);

type Event = { headers: Record<string, string>; routeArn: string; identitySource: string[] };

function api(
  authorizer: Partial<HttpLambdaAuthorizer>,
  fn: (event: Event) => Promise<unknown>,
  extra: Partial<HttpApiOptions> = {},
): HttpApiOptions {
  return {
    functions: { echo, auth: fn },
    stageName: 'dev',
    authorizers: {
      lam: {
        type: 'REQUEST',
        function: 'auth',
        authorizerPayloadFormatVersion: '2.0',
        identitySource: ['$request.header.X-Token'],
        ...authorizer,
      } as HttpLambdaAuthorizer,
    },
    routes: {
      'GET /pets/{id}': { integration: { function: 'echo' }, authorizer: 'lam' },
      'GET /admin': { integration: { function: 'echo' }, authorizer: 'lam' },
    },
    ...extra,
  };
}

const ARN_BASE = 'arn:aws:execute-api:us-east-1:123456789012:';
const policy = (statements: unknown[]) => ({
  principalId: 'p',
  policyDocument: { Version: '2012-10-17', Statement: statements },
});

describe.each(HOSTS)('Lambda authorizer answers that must not let a request through, %s', (_name, host) => {
  const answering = (answer: (event: Event) => unknown, extra: Partial<HttpLambdaAuthorizer> = {}) =>
    host(api(extra, async (event) => answer(event)));

  test('isAuthorized as the string "true", or without enableSimpleResponses → 500', async () => {
    const simple = answering(() => ({ isAuthorized: 'true' }), { enableSimpleResponses: true });
    expect((await request(simple).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(500);
    const iam = answering(() => ({ isAuthorized: true }));
    expect((await request(iam).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(500);
  });

  test('a policy with an Allow and a Deny for the route is a Deny; lower-case "allow" is no policy', async () => {
    const mixed = answering((e) =>
      policy([
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: e.routeArn },
      ]),
    );
    expect((await request(mixed).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(403);
    const lower = answering((e) =>
      policy([{ Effect: 'allow', Action: 'execute-api:Invoke', Resource: e.routeArn }]),
    );
    expect((await request(lower).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(500);
  });

  test('a cached policy naming /pets/* allows those routes only, never /admin', async () => {
    const calls: string[] = [];
    const app = host(
      api({ authorizerResultTtlInSeconds: 300 }, async (e) => {
        calls.push(e.routeArn);
        return policy([
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: e.routeArn.replace(/\/GET\/.*$/, '/GET/pets/*'),
          },
        ]);
      }),
    );
    expect((await request(app).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(200);
    expect((await request(app).get('/dev/admin').set('X-Token', 'a')).status).toBe(403);
    // Percent-encoding cannot make /admin read as a /pets ARN: the ARN is built from the decoded path.
    expect((await request(app).get('/dev/%61dmin').set('X-Token', 'a')).status).toBe(403);
    expect(calls).toHaveLength(1);
  });

  test('a Condition never helps an Allow', async () => {
    const app = answering((e) =>
      policy([
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: e.routeArn,
          Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
        },
      ]),
    );
    expect((await request(app).get('/dev/pets/1').set('X-Token', 'a')).status).toBe(403);
  });
});

describe('the authorizer cache and the injected clock', () => {
  const [, host] = HOSTS[HOSTS.length - 1];

  test('a clock starting at 0: the answer expires after the TTL like at any other time', async () => {
    let now = 0;
    let answer = true;
    let calls = 0;
    const app = host(
      api(
        { authorizerResultTtlInSeconds: 60, enableSimpleResponses: true },
        async () => {
          calls++;
          return { isAuthorized: answer };
        },
        { clock: () => now },
      ),
    );
    const get = () => request(app).get('/dev/pets/1').set('X-Token', 'a');
    expect((await get()).status).toBe(200);
    answer = false;
    now = 60_000;
    expect((await get()).status).toBe(200); // still within the TTL
    now = 60_001;
    expect((await get()).status).toBe(403);
    expect(calls).toBe(2);
  });

  test('a cached Deny holds for the TTL, then the function is asked again', async () => {
    let now = Date.UTC(2026, 0, 1);
    let answer = false;
    const app = host(
      api(
        { authorizerResultTtlInSeconds: 5, enableSimpleResponses: true },
        async () => ({ isAuthorized: answer }),
        { clock: () => now },
      ),
    );
    const get = () => request(app).get('/dev/pets/1').set('X-Token', 'a');
    expect((await get()).status).toBe(403);
    answer = true;
    expect((await get()).status).toBe(403);
    now += 5_001;
    expect((await get()).status).toBe(200);
  });

  test('two authorizers never share answers, even with the same function and identity sources', async () => {
    const lam = {
      type: 'REQUEST' as const,
      function: 'auth',
      authorizerPayloadFormatVersion: '2.0' as const,
      enableSimpleResponses: true,
      identitySource: ['$request.header.X-Token'],
      authorizerResultTtlInSeconds: 300,
    };
    const app = host({
      functions: {
        echo,
        auth: async (e: { routeKey: string }) => ({ isAuthorized: e.routeKey === 'GET /pets/{id}' }),
      },
      authorizers: { a: lam, b: { ...lam } },
      routes: {
        'GET /pets/{id}': { integration: { function: 'echo' }, authorizer: 'a' },
        'GET /admin': { integration: { function: 'echo' }, authorizer: 'b' },
      },
    });
    expect((await request(app).get('/pets/1').set('X-Token', 't')).status).toBe(200);
    expect((await request(app).get('/admin').set('X-Token', 't')).status).toBe(403);
  });

  test('two users never share an answer: any identity values but the allowed ones are asked anew (property)', async () => {
    const value = fc.stringMatching(/^[!-~]{1,6}$/);
    await fc.assert(
      fc.asyncProperty(value, value, value, value, async (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        const app = host(
          api(
            {
              identitySource: ['$request.header.X-A', '$request.querystring.b'],
              authorizerResultTtlInSeconds: 300,
              enableSimpleResponses: true,
            },
            async (e) => ({ isAuthorized: e.identitySource[0] === a && e.identitySource[1] === b }),
          ),
        );
        const get = (x: string, y: string) => request(app).get('/dev/pets/1').query({ b: y }).set('X-A', x);
        expect((await get(a, b)).status).toBe(200);
        expect((await get(c, d)).status).toBe(403);
      }),
      { numRuns: 40 },
    );
  });
});

describe('random policy documents never allow a route they do not name (property)', () => {
  const ARN = `${ARN_BASE}abc/dev/GET/pets/1`;
  const resource = fc.oneof(
    fc.constantFrom(
      ARN,
      '*',
      `${ARN_BASE}abc/dev/GET/pets/*`,
      `${ARN_BASE}abc/dev/GET/pets/?`,
      `${ARN_BASE}abc/dev/GET/admin`,
      `${ARN_BASE}abc/dev/POST/*`,
      `${ARN_BASE}abc/prod/GET/pets/1`,
      `${ARN_BASE}other/dev/GET/pets/1`,
      `${ARN_BASE}abc/dev/GET/pets/1/*`,
      `${ARN_BASE}abc/dev/GET/pets/10`,
      `${ARN_BASE.toUpperCase()}abc/dev/GET/pets/1`,
    ),
    fc.string(),
  );
  const list = <T>(item: fc.Arbitrary<T>) => fc.oneof(item, fc.array(item, { maxLength: 3 }));
  const statement = fc.record(
    {
      Effect: fc.constantFrom('Allow', 'Deny', 'allow', 'ALLOW', 1, undefined),
      Action: list(fc.constantFrom('execute-api:Invoke', 'execute-api:*', '*', 's3:*', 'execute-api:Invok')),
      NotAction: list(fc.constantFrom('execute-api:Invoke', 's3:*')),
      Resource: list(resource),
      NotResource: list(resource),
      Condition: fc.constant({ Bool: { 'aws:SecureTransport': 'true' } }),
    },
    { requiredKeys: [] },
  );
  const names = (patterns: unknown, target: string) =>
    ([] as unknown[]).concat(patterns).some((p) => typeof p === 'string' && wildcardMatch(p, target));
  /** What a statement grants the route, read independently: an unconditional Allow that names it. */
  const grants = (s: Record<string, unknown>) => {
    if (s.Effect !== 'Allow' || s.Condition !== undefined) return false;
    const action =
      s.Action !== undefined
        ? names(s.Action, 'execute-api:Invoke')
        : !names(s.NotAction, 'execute-api:Invoke');
    const resourceHit = s.Resource !== undefined ? names(s.Resource, ARN) : !names(s.NotResource, ARN);
    return action && resourceHit;
  };

  test('an allow needs an unconditional Allow statement naming the route', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 0, maxLength: 4 }), fc.boolean(), (statements, simple) => {
        const verdict = readVerdict(policy(statements), simple);
        if (verdict === undefined) return; // 500: refused
        const decision = applyVerdict(verdict, ARN).kind;
        if (!statements.some(grants)) expect(decision).not.toBe('allow');
      }),
      { numRuns: 2000 },
    );
  });

  test('random answers of any shape allow only with isAuthorized exactly true (simple) or a granting policy', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ isAuthorized: fc.anything(), context: fc.anything() }, { requiredKeys: [] }),
        ),
        fc.boolean(),
        (answer, simple) => {
          const verdict = readVerdict(answer, simple);
          if (verdict === undefined) return;
          const allowed = applyVerdict(verdict, ARN).kind === 'allow';
          // A policy answer is the property above's; any other allow is a simple `true`.
          if (allowed && verdict.kind === 'simple')
            expect(simple && (answer as { isAuthorized?: unknown }).isAuthorized === true).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

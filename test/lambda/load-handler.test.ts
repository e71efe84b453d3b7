import { spawnSync } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import type { ApiGatewayOptions, FunctionDefinition } from '../../src/index.js';
import { asText } from '../support/as-text.js';
import { createApp } from '../support/create-app.js';

const CODE_URI = path.join(__dirname, 'fixtures', 'handlers');
const SERVE = path.join(__dirname, 'fixtures', 'serve-handlers.js');
const INTERNAL = '{"message": "Internal server error"}';

/** One AWS_PROXY route per function, at `/<name>`. */
function proxyApi(functions: Record<string, string | FunctionDefinition>): ApiGatewayOptions {
  const defs: Record<string, FunctionDefinition> = {};
  const resources: ApiGatewayOptions['resources'] = {};
  for (const [name, def] of Object.entries(functions)) {
    defs[name] =
      typeof def === 'string' ? { handler: def, codeUri: CODE_URI } : { codeUri: CODE_URI, ...def };
    resources[`/${name}`] = { GET: { integration: { type: 'AWS_PROXY', function: name } } };
  }
  return { functions: defs, resources };
}

interface Answer {
  path: string;
  status: number;
  errorType: string | null;
  body: string;
}

/** Runs the API in a plain Node process (real `import()`, real tsx) and GETs each step in order. */
function serve(options: ApiGatewayOptions, steps: string[]): Answer[] {
  const run = spawnSync(process.execPath, [SERVE, JSON.stringify({ options, steps })], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`serve-handlers.js failed: ${run.stderr}`);
  const { answers, unhandled } = JSON.parse(run.stdout) as { answers: Answer[]; unhandled: string[] };
  expect(unhandled).toEqual([]);
  return answers;
}

/** GET through supertest, keeping the body as text whatever its Content-Type. */
function get(app: ReturnType<typeof createApp>, url: string) {
  return request(app).get(url).buffer(true).parse(asText);
}

function payload(answer: Answer): { errorType: string; errorMessage: string; trace: string[] } {
  return JSON.parse(answer.body);
}

describe('handlers by module path, in Jest (CommonJS through the public API)', () => {
  it('loads file.export relative to codeUri and runs it', async () => {
    const res = await get(createApp(proxyApi({ f: 'cjs.handler' })), '/prod/f');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ from: 'cjs.js', path: '/f' });
  });

  it('follows a nested export path: file.a.b', async () => {
    const res = await get(createApp(proxyApi({ f: 'cjs.routes.items.list' })), '/prod/f');
    expect(res.status).toBe(200);
    expect(res.body).toBe('cjs.routes.items.list');
  });

  it('runs a callback-style handler from a .cjs file', async () => {
    const res = await get(createApp(proxyApi({ f: 'callback.handler' })), '/prod/f');
    expect(res.status).toBe(200);
    expect(res.body).toBe('callback.cjs');
  });

  it("loads the module on the first invocation, after the function's environment is set", async () => {
    const app = createApp(
      proxyApi({
        f: { handler: 'env-at-load.handler', environment: { HANDLER_FIXTURE_GREETING: 'hello from env' } },
      }),
    );
    const res = await get(app, '/prod/f');
    expect(res.status).toBe(200);
    expect(res.body).toBe('greeting at load: hello from env');
  });

  // Jest keeps its own module registry, which reloadHandlers() cannot clear: the Node process below does.
  it('loads a module once per function, as a warm environment keeps it', async () => {
    const app = createApp(proxyApi({ f: 'counter.handler' }));
    expect((await get(app, '/prod/f')).body).toBe('load 1, call 1');
    expect((await get(app, '/prod/f')).body).toBe('load 1, call 2');
  });

  it('answers 502 for a missing export, and loads again on the next invocation', async () => {
    const app = createApp(proxyApi({ f: 'cjs.nope', g: 'throws-once.handler' }));
    const res = await get(app, '/prod/f');
    expect(res.status).toBe(502);
    expect(res.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(res.body).toBe(INTERNAL);
    const first = await get(app, '/prod/g');
    expect(first.status).toBe(502);
    const second = await get(app, '/prod/g');
    expect(second.status).toBe(200);
    expect(second.body).toBe('loaded on attempt 2');
  });

  it.each([
    ['a missing export', 'cjs.nope', 'Runtime.HandlerNotFound', 'cjs.nope is undefined or not exported'],
    ['a falsy export', 'cjs.zero', 'Runtime.HandlerNotFound', 'cjs.zero is undefined or not exported'],
    [
      'an export that is not a function',
      'cjs.notAFunction',
      'Runtime.HandlerNotFound',
      'cjs.notAFunction is not a function',
    ],
    ['a handler without a dot', 'cjs', 'Runtime.MalformedHandlerName', 'Bad handler'],
    [
      'a handler with ..',
      '../handlers/cjs.handler',
      'Runtime.MalformedHandlerName',
      "'../handlers/cjs.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    ],
    ['a module that throws at load', 'throws-at-load.handler', 'Error', 'cannot reach the database at load'],
  ])(
    'gives a non-proxy integration the error payload for %s',
    async (_name, handler, errorType, errorMessage) => {
      const app = createApp({
        functions: { f: { handler, codeUri: CODE_URI } },
        resources: {
          '/f': {
            GET: {
              integration: {
                type: 'AWS',
                function: 'f',
                integrationResponses: [{ statusCode: '200' }, { statusCode: '500', selectionPattern: '.+' }],
              },
              methodResponses: [{ statusCode: '200' }, { statusCode: '500' }],
            },
          },
        },
      });
      const res = await get(app, '/prod/f');
      expect(res.status).toBe(500);
      const body = JSON.parse(res.body);
      expect(body).toEqual({ errorType, errorMessage, trace: expect.any(Array) });
      expect(body.trace[0]).toBe(`${errorType}: ${errorMessage}`);
    },
  );
});

// ES modules, TypeScript and the runtime's exact messages: one Node process serves both APIs below.
const PROXY_FUNCTIONS: Record<string, string | FunctionDefinition> = {
  cjs: 'cjs.handler',
  cjsDefault: 'callback.handler',
  mjs: 'esm.handler',
  mjsDefault: 'esm.default.handler',
  typeModule: 'module-package/app.handler',
  ts: 'typed.handler',
  tsTypeModule: 'module-package/typed.handler',
  mts: 'typed-esm.handler',
  env: { handler: 'env-at-load.handler', environment: { HANDLER_FIXTURE_GREETING: 'hi' } },
  missingModule: 'nope.handler',
  missingExport: 'esm.nope',
  syntaxError: 'broken/syntax-error.handler',
  tsSyntaxError: 'broken/syntax-ts.handler',
  throwsAtLoad: 'throws-at-load.handler',
  counter: 'counter.handler',
};
const AWS_FUNCTIONS: Record<string, string> = {
  missingModule: 'nope.handler',
  missingInFolder: 'module-package/nope.handler',
  missingDependency: 'requires-missing.handler',
  missingEsmDependency: 'imports-missing.handler',
  missingExport: 'esm.nope',
  notAFunction: 'cjs.notAFunction',
  syntaxError: 'broken/syntax-error.handler',
  tsSyntaxError: 'broken/syntax-ts.handler',
  throwsAtLoad: 'throws-at-load.handler',
  malformed: 'esm',
};
const proxyAnswers: Record<string, Answer> = {};
const awsAnswers: Record<string, Answer> = {};

beforeAll(() => {
  const proxy = proxyApi(PROXY_FUNCTIONS);
  const functions: Record<string, FunctionDefinition> = {};
  const resources: ApiGatewayOptions['resources'] = {};
  for (const [name, def] of Object.entries(proxy.functions ?? {})) {
    functions[`proxy-${name}`] = def as FunctionDefinition;
    resources[`/proxy/${name}`] = { GET: { integration: { type: 'AWS_PROXY', function: `proxy-${name}` } } };
  }
  for (const [name, handler] of Object.entries(AWS_FUNCTIONS)) {
    functions[`aws-${name}`] = { handler, codeUri: CODE_URI };
    resources[`/aws/${name}`] = {
      GET: {
        integration: {
          type: 'AWS',
          function: `aws-${name}`,
          integrationResponses: [
            { statusCode: '200' },
            { statusCode: '404', selectionPattern: 'Error: Cannot find module[\\s\\S]*' },
            { statusCode: '500', selectionPattern: '[\\s\\S]+' },
          ],
        },
        methodResponses: [{ statusCode: '200' }, { statusCode: '404' }, { statusCode: '500' }],
      },
    };
  }
  const steps = [
    ...Object.keys(PROXY_FUNCTIONS).map((name) => `/proxy/${name}`),
    '/proxy/counter',
    'reload',
    '/proxy/counter',
    ...Object.keys(AWS_FUNCTIONS).map((name) => `/aws/${name}`),
  ];
  const seen: Record<string, number> = {};
  for (const answer of serve({ functions, resources }, steps)) {
    const [, kind, name] = answer.path.split('/');
    seen[answer.path] = (seen[answer.path] ?? 0) + 1;
    const key = seen[answer.path] === 1 ? name : `${name}#${seen[answer.path]}`;
    (kind === 'proxy' ? proxyAnswers : awsAnswers)[key] = { ...answer, path: `/${name}` };
  }
});

describe('handlers by module path, in a Node process (ES modules, TypeScript)', () => {
  it.each([
    ['cjs', '{"from":"cjs.js","path":"/proxy/cjs"}'],
    ['cjsDefault', 'callback.cjs'],
    ['mjs', 'esm.mjs'],
    ['mjsDefault', 'esm.mjs default'],
    ['typeModule', 'app.js as ESM'],
    ['ts', 'typed.ts answers GET'],
    ['tsTypeModule', 'module-package/typed.ts'],
    ['mts', 'typed-esm.mts 42'],
    ['env', 'greeting at load: hi'],
  ])('GET /%s runs the handler', (name, body) => {
    expect(proxyAnswers[name]).toEqual({ path: `/${name}`, status: 200, errorType: null, body });
  });

  it('loads a module once per function, and again after reloadHandlers()', () => {
    expect([
      proxyAnswers.counter.body,
      proxyAnswers['counter#2'].body,
      proxyAnswers['counter#3'].body,
    ]).toEqual(['load 1, call 1', 'load 1, call 2', 'load 2, call 1']);
  });

  it('answers 502 Internal server error for every load failure behind a proxy integration', () => {
    for (const name of ['missingModule', 'missingExport', 'syntaxError', 'tsSyntaxError', 'throwsAtLoad']) {
      expect(proxyAnswers[name]).toEqual({
        path: `/${name}`,
        status: 502,
        errorType: 'InternalServerErrorException',
        body: INTERNAL,
      });
    }
  });
});

describe('the runtime errors of a failed load, as the non-proxy integration passes them through', () => {
  let payloads: Record<string, { errorType: string; errorMessage: string; trace: string[] }>;

  beforeAll(() => {
    payloads = Object.fromEntries(
      Object.entries(awsAnswers).map(([name, answer]) => [name, payload(answer)]),
    );
  });

  it('selects the integration response on errorMessage', () => {
    const statuses = Object.fromEntries(
      Object.entries(awsAnswers).map(([name, answer]) => [name, answer.status]),
    );
    expect(statuses).toEqual({
      missingModule: 404,
      missingInFolder: 404,
      missingDependency: 404,
      missingEsmDependency: 500,
      missingExport: 500,
      notAFunction: 500,
      syntaxError: 500,
      tsSyntaxError: 500,
      throwsAtLoad: 500,
      malformed: 500,
    });
  });

  it('Runtime.ImportModuleError: Cannot find module, with the runtime as its require stack', () => {
    const missing = "Error: Cannot find module 'nope'\nRequire stack:\n- /var/runtime/index.mjs";
    expect(payloads.missingModule).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: missing,
    });
    expect(payloads.missingModule.trace.slice(0, 3)).toEqual([
      "Runtime.ImportModuleError: Error: Cannot find module 'nope'",
      'Require stack:',
      '- /var/runtime/index.mjs',
    ]);
    // The runtime names the module alone, not the folder in front of it.
    expect(payloads.missingInFolder).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: missing,
    });
  });

  it('Runtime.ImportModuleError for a CommonJS dependency that is not installed', () => {
    expect(payloads.missingDependency).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: Cannot find module 'a-package-that-is-not-installed'\nRequire stack:\n- ${path.join(CODE_URI, 'requires-missing.js')}\n- /var/runtime/index.mjs`,
    });
  });

  it("an ES module's missing package is Node's own error, not wrapped", () => {
    expect(payloads.missingEsmDependency).toMatchObject({
      errorType: 'Error',
      errorMessage: `Cannot find package 'a-package-that-is-not-installed' imported from ${path.join(CODE_URI, 'imports-missing.mjs')}`,
    });
  });

  it('Runtime.HandlerNotFound for a missing export or one that is not a function', () => {
    expect(payloads.missingExport).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'esm.nope is undefined or not exported',
    });
    expect(payloads.notAFunction).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'cjs.notAFunction is not a function',
    });
  });

  it('Runtime.UserCodeSyntaxError for a syntax error, JavaScript or TypeScript', () => {
    expect(payloads.syntaxError).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: "SyntaxError: Unexpected token '=>'",
    });
    expect(payloads.syntaxError.trace[0]).toBe(
      "Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token '=>'",
    );
    // Where, which the runtime's own trace does not say: the file and line, as the first frame.
    expect(payloads.syntaxError.trace[1]).toBe(
      `    at ${path.join(CODE_URI, 'broken', 'syntax-error.js')}:1`,
    );
    expect(payloads.tsSyntaxError).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: `SyntaxError: ${path.join(CODE_URI, 'broken', 'syntax-ts.ts')}:3:0: Unexpected end of file`,
    });
  });

  it('what a module throws at load, as it threw it', () => {
    expect(payloads.throwsAtLoad).toMatchObject({
      errorType: 'Error',
      errorMessage: 'cannot reach the database at load',
    });
    expect(payloads.throwsAtLoad.trace[0]).toBe('Error: cannot reach the database at load');
  });

  it('Runtime.MalformedHandlerName for a handler without a dot', () => {
    expect(payloads.malformed).toEqual({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: 'Bad handler',
      trace: expect.arrayContaining(['Runtime.MalformedHandlerName: Bad handler']),
    });
  });
});

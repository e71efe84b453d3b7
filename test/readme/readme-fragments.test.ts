import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import ts from 'typescript';

/*
 * Every ```ts and ```js block of the README compiles against src/ and, where it builds an app and
 * asks it something, runs. Conventions (documented here, kept few):
 * - Blocks may use the names in PRELUDE without declaring them (earlier blocks or the surrounding
 *   prose introduce them: `app`, `api`, `handler` …).
 * - `{ … }` stands for a value the README leaves out; it type-checks as anything.
 * - `<!-- fragment: options -->` on the line before a block: the block is a list of
 *   `apiGateway()` option members, checked inside `const options: ApiGatewayOptions = { … }`.
 */
const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Block {
  line: number;
  lang: 'ts' | 'js';
  code: string;
  optionsFragment: boolean;
}

function readmeBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|js)\s*$/.exec(lines[i] as string);
    if (!open) {
      if (/^```/.test(lines[i] as string)) {
        // Skip other fenced blocks whole, so their contents are never read as fences.
        for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++);
      }
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string);
    let before = start - 1;
    while (before >= 0 && (lines[before] as string).trim() === '') before--;
    blocks.push({
      line: start + 1,
      lang: open[1] as 'ts' | 'js',
      code: body.join('\n'),
      optionsFragment: (lines[before] ?? '').trim() === '<!-- fragment: options -->',
    });
  }
  return blocks;
}

// Names the README's blocks use without declaring them, each with the declaration a block gets
// when it does not declare the name itself.
const PRELUDE: Record<string, string> = {
  express: "import express from 'express';",
  request: "import request from 'supertest';",
  apiGateway: "import { apiGateway } from 'apigw-express';",
  ApiGatewayOptions: "import type { ApiGatewayOptions } from 'apigw-express';",
  app: "declare const app: import('express').Express;",
  api: "declare const api: import('apigw-express').ApiGatewayOptions;",
  options: "declare const options: import('apigw-express').ApiGatewayOptions;",
  handler: "declare const handler: import('apigw-express').APIGatewayProxyHandler;",
  petsHandler: "declare const petsHandler: import('apigw-express').APIGatewayProxyHandler;",
  myAuthorizer: "declare const myAuthorizer: import('apigw-express').Handler;",
  getPets: "declare const getPets: import('apigw-express').Method;",
  integration: "declare const integration: import('apigw-express').Integration;",
};

function declares(code: string, name: string): boolean {
  const word = `\\b${name}\\b`;
  return (
    new RegExp(`^\\s*import\\s[^;]*${word}[^;]*\\sfrom\\s`, 'm').test(code) ||
    new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b`).test(code)
  );
}

function uses(code: string, name: string): boolean {
  return new RegExp(`(^|[^.\\w$'"]|\\.\\.\\.)${name}\\b`).test(code);
}

/** The names of PRELUDE a block needs from outside. */
const outsideNames = (code: string) =>
  Object.keys(PRELUDE).filter((n) => uses(code, n) && !declares(code, n));

/** The block as a module: `{ … }` as `any`, an options fragment wrapped. */
function asModule(block: Block): string {
  let code = block.code.replace(/\{ … \}/g, '({} as any)');
  if (block.optionsFragment) code = `const options: ApiGatewayOptions = {\n${code}\n};\nvoid options;`;
  const names = outsideNames(code);
  if (block.optionsFragment && !names.includes('ApiGatewayOptions')) names.push('ApiGatewayOptions');
  return `${names.map((n) => PRELUDE[n]).join('\n')}\nexport {};\n${code}\n`;
}

// Virtual files live under the repository, so that node_modules resolves as for a user.
const blockDir = join(root, 'readme-blocks', 'test');
const userModules: Record<string, string> = {
  // The testing section imports the reader's own handler.
  [join(root, 'readme-blocks', 'src', 'get-item.ts')]:
    "import type { APIGatewayProxyHandler } from 'apigw-express';\n" +
    'export const handler: APIGatewayProxyHandler = async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters?.id }) });\n',
};

function typeCheck(blocks: Block[]): Map<number, string[]> {
  const files = new Map<string, string>(Object.entries(userModules));
  const fileOf = new Map<string, Block>();
  for (const block of blocks) {
    const file = join(blockDir, `line-${block.line}.ts`);
    files.set(file, asModule(block));
    fileOf.set(file, block);
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node', 'jest'],
    baseUrl: root,
    paths: {
      'apigw-express': ['src/index.ts'],
      'apigw-express/testing': ['src/testing/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const text = files.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, languageVersion, true)
      : getSourceFile(name, languageVersion, ...rest);
  };
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) =>
    [...files.keys()].some((f) => f.startsWith(`${name}/`)) || (directoryExists?.(name) ?? true);
  const fileExists = host.fileExists;
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile;
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems = new Map<number, string[]>();
  for (const [file, block] of fileOf) {
    const source = program.getSourceFile(file) as ts.SourceFile;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    problems.set(
      block.line,
      diagnostics.map((d) => {
        const where =
          d.start === undefined ? '' : `${source.getLineAndCharacterOfPosition(d.start).line + 1}: `;
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
  return problems;
}

/** Runs a block as written, its `it(…)` tests collected; resolves with them and the block's `res`, if any. */
async function run(block: Block, given: Record<string, unknown> = {}) {
  const tests: [string, () => unknown][] = [];
  const apps: import('express').Express[] = [];
  // `app.listen()` serves nothing here: the test asks the app through supertest instead.
  const recordingExpress = Object.assign((...args: []) => {
    const app = express(...args);
    app.listen = (() => ({ close: () => undefined })) as never;
    apps.push(app);
    return app;
  }, express);
  const gateway = require('../../src/index') as typeof import('../../src/index');
  const modules: Record<string, unknown> = {
    'apigw-express': gateway,
    'apigw-express/testing': require('../../src/testing/index'),
    express: recordingExpress,
    supertest: request,
    '../src/get-item': {
      handler: async (event: { pathParameters: { id: string } }) => ({
        statusCode: 200,
        body: JSON.stringify({ id: event.pathParameters.id }),
      }),
    },
  };
  const requireFor = (name: string) => {
    if (name in modules) return modules[name];
    if (name.startsWith('node:') || name.startsWith('@smithy/')) return require(name);
    throw new Error(`README block at line ${block.line}: unexpected import ${name}`);
  };
  const outside: Record<string, unknown> = {
    express: recordingExpress,
    request,
    apiGateway: gateway.apiGateway,
    handler: (modules['../src/get-item'] as { handler: unknown }).handler,
    ...given,
  };
  const names = outsideNames(block.code).filter((n) => n in outside);
  const js = ts.transpileModule(block.code, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
  const AsyncFunction = (async () => undefined).constructor as new (
    ...args: string[]
  ) => (...args: unknown[]) => Promise<unknown>;
  const body = `${js}\nreturn typeof res === 'undefined' ? undefined : res;`;
  const fn = new AsyncFunction('require', 'exports', 'module', 'it', 'expect', ...names, body);
  const res = await fn(
    requireFor,
    {},
    { exports: {} },
    (name: string, test: () => unknown) => tests.push([name, test]),
    expect,
    ...names.map((n) => outside[n]),
  );
  return { tests, apps, res: res as request.Response | undefined };
}

const blocks = readmeBlocks(readme);
const find = (...parts: string[]) => {
  const found = blocks.filter((b) => parts.every((p) => b.code.includes(p)));
  if (found.length !== 1)
    throw new Error(`expected one README block with ${parts.join(', ')}, found ${found.length}`);
  return found[0] as Block;
};

describe('README code blocks', () => {
  it('finds the blocks, and marks few as fragments', () => {
    expect(blocks.length).toBeGreaterThan(15);
    expect(blocks.filter((b) => b.optionsFragment).length).toBeLessThanOrEqual(5);
  });

  describe('type-check against src/', () => {
    const problems = typeCheck(blocks);
    it.each(blocks.map((b) => [b.line, b]))('the %s-line block compiles', (_line, block) => {
      expect({ line: block.line, problems: problems.get(block.line) }).toEqual({
        line: block.line,
        problems: [],
      });
    });
  });

  describe('run', () => {
    let logs: jest.SpyInstance[] = [];
    beforeEach(() => {
      logs = (['warn', 'error', 'info', 'debug', 'log'] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation(() => undefined),
      );
    });
    afterEach(() => {
      for (const spy of logs) spy.mockRestore();
    });

    it('the quick start answers its own curl', async () => {
      const block = find("'/hello/{name}'", 'app.listen(3000)');
      const { apps } = await run(block);
      const curl = /curl http:\/\/localhost:3000(\S+)/.exec(block.code)?.[1] as string;
      expect(curl).toBe('/prod/hello/you');
      const res = await request(apps[0]).get(curl);
      expect(res.status).toBe(200);
      expect(res.text).toBe('Hello you');
      expect((await request(apps[0]).get('/health')).text).toBe('ok');
    });

    it.each([
      ['the supertest example', ["from '../src/get-item'"], 2],
      ['the Cognito example', ['createTestUserPool'], 2],
    ])('%s passes its own tests', async (_name, parts, count) => {
      const { tests } = await run(find(...(parts as string[])));
      expect(tests).toHaveLength(count as number);
      for (const [, test] of tests) await test();
    });

    it('the mapping-template example passes its own expectation', async () => {
      const { res } = await run(find("type: 'AWS'", '$input.json'));
      expect(res?.text).toBe('{"text": "Hello Ann"}');
    });

    it('the UsageStore example counts a quota', async () => {
      const app = express();
      const api = {
        functions: { pets: async () => ({ statusCode: 200, body: '[]' }) },
        apiKeys: ['k1'],
        usagePlans: [{ name: 'basic', apiKeys: ['k1'], quota: { limit: 1, period: 'DAY' } }],
        resources: {
          '/pets': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', function: 'pets' } } },
        },
      };
      await run(find('const store: UsageStore'), { app, api });
      expect((await request(app).get('/prod/pets').set('x-api-key', 'k1')).status).toBe(200);
      const over = await request(app).get('/prod/pets').set('x-api-key', 'k1');
      expect(over.status).toBe(429);
      expect(over.text).toBe('{"message":"Limit Exceeded"}');
    });

    it('the AWS_IAM example signs a request the gateway lets in', async () => {
      const { res } = await run(find('new SignatureV4('));
      expect(res?.status).toBe(200);
      expect(res?.body).toEqual({ id: '42' });
    });
  });
});

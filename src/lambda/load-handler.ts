import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/config-error.js';
import { isMissingPeer, isPeerInstalled, missingPeerMessage } from '../optional-peer.js';
import type { LambdaFunction } from './context.js';
import { invocations } from './runtime-env.js';

type Handler = LambdaFunction['handler'];

// The Node.js runtime's own errors (aws-lambda-nodejs-runtime-interface-client src/Errors.js):
// the name sits on the prototype, so the stack starts `Runtime.ImportModuleError: Error: …` as on AWS.
class ImportModuleError extends Error {
  constructor(cause: unknown) {
    super(String(cause));
  }
}
class HandlerNotFound extends Error {}
class MalformedHandlerName extends Error {}
class UserCodeSyntaxError extends Error {
  constructor(cause: unknown, location?: string) {
    super(String(cause));
    // The runtime's message stays as on AWS; the file and line, which its stack does not give,
    // become the trace's first frame so that a log of the failed invocation says where.
    if (location !== undefined && typeof this.stack === 'string') {
      const [first, ...frames] = this.stack.split('\n');
      this.stack = [first, `    at ${location}`, ...frames].join('\n');
    }
    Object.defineProperty(this, 'location', { value: location, enumerable: false });
  }
}
for (const type of [ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError]) {
  type.prototype.name = `Runtime.${type.name}`;
}

// User modules are required as by the runtime's bundled entry point, so a missing module's message
// ends with its `Require stack:\n- /var/runtime/index.mjs`, as on AWS. The file need not exist.
const RUNTIME_ENTRY = '/var/runtime/index.mjs';
const runtimeRequire = createRequire(RUNTIME_ENTRY);

// UserFunction.js: `FUNCTION_EXPR` and `RELATIVE_PATH_SUBSTRING`.
const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

/** How long a module took to load: the REPORT line's Init Duration. */
export interface InitTiming {
  durationMs: number;
  /** `performance.now()` when it ended: an invocation that waited for it does not count the wait. */
  endedAt: number;
}

/**
 * A handler loaded by module path: `init()` loads it ahead of its first call, as Lambda's Init
 * phase; `takeInit()` gives the timing of a load not yet reported, once (the next invocation's).
 */
export type ModuleHandler = Handler & {
  init(): Promise<void>;
  /** Undefined once loaded; else the load under way (started now if need be), for the log's START to follow it. */
  loadIfCold(): Promise<unknown> | undefined;
  takeInit(): InitTiming | undefined;
};

/** Bumped by `reloadHandlers()`: a handler loaded in an older generation loads again. */
let generation = 0;
/** Bumped by a reload and by a failed ES module load: Node caches an ES module (and its failure) per URL. */
let esmVersion = 0;
const codeRoots = new Set<string>();

/**
 * A handler given as Lambda's `Handler` string (`file.export`, `dir/file.export`, `file.nested.export`)
 * under `codeRoot`, loaded as the Node.js runtime loads it (aws-lambda-nodejs-runtime-interface-client
 * `src/UserFunction.js`), on the first invocation: the function's `environment` is in `process.env` by
 * then. The loaded function is kept, as in a warm execution environment. A failed load fails that
 * invocation with the runtime's error (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`,
 * `Runtime.MalformedHandlerName`, `Runtime.UserCodeSyntaxError`, or what the module threw) and is
 * tried again on the next one, as Lambda runs a failed Init phase again.
 */
export function moduleHandler(spec: string, codeRoot: string, functionName: string): ModuleHandler {
  const typeScript = locateHandler(spec, codeRoot)?.file;
  if (typeScript !== undefined && /\.[mc]?ts$/.test(typeScript) && !isPeerInstalled('tsx')) {
    throw new ConfigError(
      missingPeerMessage(
        `functions["${functionName}"].handler: ${path.relative(codeRoot, typeScript)}`,
        'tsx',
      ),
    );
  }
  codeRoots.add(codeRoot);
  let loaded: Handler | undefined;
  let loading: Promise<Handler> | undefined;
  let loadedIn = -1;
  let unreported: InitTiming | undefined;
  const load = (): Promise<Handler> => {
    if (loadedIn === generation) return Promise.resolve(loaded as Handler);
    if (loading === undefined) {
      const startedIn = generation;
      const began = performance.now();
      // What the module prints while it loads belongs to the Init phase, not to the invocation.
      const current = invocations.getStore();
      const run = () => loadUserFunction(codeRoot, spec);
      const loadingModule =
        current !== undefined
          ? invocations.run(Object.assign(Object.create(current), { initializing: true }), run)
          : run();
      const attempt = loadingModule.then(
        (fn) => {
          if (loading === attempt) loading = undefined;
          if (startedIn === generation) {
            loaded = fn;
            loadedIn = startedIn;
            const endedAt = performance.now();
            unreported = { durationMs: endedAt - began, endedAt };
          }
          return fn;
        },
        (error: unknown) => {
          if (loading === attempt) loading = undefined;
          throw error;
        },
      );
      loading = attempt;
    }
    return loading;
  };
  const handler = function loadOnFirstInvoke(event, context, callback) {
    if (loadedIn === generation) return (loaded as Handler)(event, context, callback);
    return load().then((fn) => invokeCold(fn, event, context, callback));
  } as ModuleHandler;
  handler.init = () => load().then(() => undefined);
  // The very promise the next call waits on: what is chained to it first runs before that call.
  handler.loadIfCold = () => (loadedIn === generation ? undefined : load());
  handler.takeInit = () => {
    const timing = unreported;
    unreported = undefined;
    return timing;
  };
  return handler;
}

/** Where a Handler string's module is looked for, and the file found (no code runs). */
export interface HandlerLocation {
  /** The file (or folder) the runtime would load; absent when none of `tried` exists. */
  file?: string;
  /** Every path looked at, in the runtime's order. */
  tried: string[];
}

/**
 * The runtime's search for a Handler's module (`tryRequire` below), without loading it: the
 * Lambda-style paths, then Node's resolution from the code root. Undefined for a malformed Handler.
 */
export function locateHandler(spec: string, codeRoot: string): HandlerLocation | undefined {
  if (spec.includes('..')) return undefined;
  const handlerString = path.basename(spec);
  const moduleRoot = spec.substring(0, spec.indexOf(handlerString));
  const match = handlerString.match(FUNCTION_EXPR);
  if (!match) return undefined;
  const module = match[1];
  const lambdaStylePath = path.resolve(codeRoot, moduleRoot, module);
  const tried: string[] = [];
  for (const extension of ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']) {
    const file = lambdaStylePath + extension;
    tried.push(file);
    if (fs.existsSync(file)) return { file, tried };
  }
  tried.push(`${module} from ${path.resolve(codeRoot, moduleRoot)} (a folder's index, node_modules)`);
  try {
    return {
      file: runtimeRequire.resolve(module, { paths: [codeRoot, path.resolve(codeRoot, moduleRoot)] }),
      tried,
    };
  } catch {
    return { tried };
  }
}

/** `<file>:<line>` of a handler's syntax error, when known. */
export function syntaxErrorLocation(error: unknown): string | undefined {
  const location = (error as { location?: unknown } | null)?.location;
  return typeof location === 'string' ? location : undefined;
}

/**
 * Drops every handler loaded by module path, so the next invocation loads its module again (for a
 * watch mode). CommonJS modules under the code roots leave the require cache (those in
 * `node_modules` stay); TypeScript modules load in a fresh tsx namespace; an ES module cannot leave
 * Node's cache, so its file loads again under a new `?v=` query while the modules it imports stay.
 */
export function reloadHandlers(): void {
  generation++;
  esmVersion++;
  const cache = runtimeRequire.cache;
  for (const key of Object.keys(cache)) {
    if (key.includes(`${path.sep}node_modules${path.sep}`)) continue;
    for (const root of codeRoots) {
      if (key.startsWith(root + path.sep)) {
        delete cache[key];
        break;
      }
    }
  }
}

/** The first call, after the load: the same contract as `invoke` gives a handler it calls directly. */
function invokeCold(
  fn: Handler,
  event: unknown,
  context: Parameters<Handler>[1],
  callback: Parameters<Handler>[2],
): unknown {
  let returned: unknown;
  try {
    returned = fn(event, context, callback);
  } catch (error) {
    // As `invoke` does with a synchronous throw: `callback(err)` (so `throw null` is a success).
    callback(error);
    return new Promise(() => {});
  }
  const thenable = returned !== null && typeof (returned as PromiseLike<unknown>)?.then === 'function';
  // A callback-style handler: the runtime ignores a value that is not a promise and waits for the callback.
  return thenable ? returned : new Promise(() => {});
}

/** UserFunction.js `load`. */
async function loadUserFunction(appRoot: string, fullHandlerString: string): Promise<Handler> {
  if (fullHandlerString.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const handlerString = path.basename(fullHandlerString);
  const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString));
  const match = handlerString.match(FUNCTION_EXPR);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, module, handlerPath] = match;

  const userApp = await loadUserApp(appRoot, moduleRoot, module);
  const handlerFunc = handlerPath
    .split('.')
    .reduce<unknown>((nested, key) => nested && (nested as Record<string, unknown>)[key], userApp);
  if (!handlerFunc) throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handlerFunc !== 'function') throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  return handlerFunc as Handler;
}

/** UserFunction.js `_loadUserApp`: only a syntax error and a missing CommonJS module are wrapped. */
async function loadUserApp(appRoot: string, moduleRoot: string, module: string): Promise<unknown> {
  try {
    return await tryRequire(appRoot, moduleRoot, module);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(error, locateSyntaxError(error));
    if (isTransformError(error)) throw new UserCodeSyntaxError(toSyntaxError(error));
    if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(error);
    throw error;
  }
}

/**
 * UserFunction.js `_tryRequire`: the extensionless file, `.js` (an ES module under a `"type": "module"`
 * package.json), `.mjs`, `.cjs`; then ours, TypeScript through tsx: `.ts`, `.mts`, `.cts` (after the
 * JavaScript ones, so a compiled `index.js` wins over its `index.ts` as it would once deployed);
 * last, Node's own resolution from the code root (a folder's index, a package in node_modules).
 */
async function tryRequire(appRoot: string, moduleRoot: string, module: string): Promise<unknown> {
  const lambdaStylePath = path.resolve(appRoot, moduleRoot, module);

  const extensionless = tryRequireFile(lambdaStylePath, '');
  if (extensionless) return extensionless;

  const pjHasModule =
    fs.existsSync(`${lambdaStylePath}.js`) && hasFolderTypeModule(path.dirname(lambdaStylePath));
  if (!pjHasModule) {
    const loaded = tryRequireFile(lambdaStylePath, '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (pjHasModule && (await tryImport(lambdaStylePath, '.js'))) ||
    (await tryImport(lambdaStylePath, '.mjs')) ||
    tryRequireFile(lambdaStylePath, '.cjs') ||
    (await tryTypeScript(lambdaStylePath));
  if (loaded) return loaded;

  const nodeStylePath = runtimeRequire.resolve(module, {
    paths: [appRoot, path.resolve(appRoot, moduleRoot)],
  });
  return runtimeRequire(nodeStylePath);
}

function tryRequireFile(file: string, extension: string): unknown {
  const filename = file + extension;
  return fs.existsSync(filename) ? runtimeRequire(filename) : undefined;
}

async function tryImport(file: string, extension: string): Promise<unknown> {
  const filename = file + extension;
  if (!fs.existsSync(filename)) return undefined;
  const url = pathToFileURL(filename).href + (esmVersion > 0 ? `?v=${esmVersion}` : '');
  try {
    return await import(url);
  } catch (error) {
    // The next attempt (the runtime's next Init) evaluates the module again instead of Node's cached failure.
    esmVersion++;
    if (error instanceof SyntaxError && locateSyntaxError(error) === undefined) {
      Object.defineProperty(error, SYNTAX_LOCATION, { value: checkSyntax(filename) });
    }
    throw error;
  }
}

async function tryTypeScript(file: string): Promise<unknown> {
  for (const extension of ['.ts', '.mts', '.cts']) {
    const filename = file + extension;
    if (!fs.existsSync(filename)) continue;
    const esm = extension === '.mts' || (extension === '.ts' && hasFolderTypeModule(path.dirname(filename)));
    if (esm) {
      const { tsImport } = await importTsx(filename, () => import('tsx/esm/api'));
      return tsImport(pathToFileURL(filename).href, pathToFileURL(RUNTIME_ENTRY).href);
    }
    const { require: tsxRequire } = await importTsx(filename, () => import('tsx/cjs/api'));
    return tsxRequire(filename, RUNTIME_ENTRY);
  }
  return undefined;
}

/** tsx is an optional peer: loaded on the first TypeScript handler, named when it is missing. */
async function importTsx<T>(filename: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPeer(error, 'tsx')) throw new Error(missingPeerMessage(`handler ${filename}`, 'tsx'));
    throw error;
  }
}

/**
 * UserFunction.js `_hasFolderPackageJsonTypeModule`: the nearest package.json decides; a `node_modules`
 * folder or the root ends the search; an unreadable package.json counts as CommonJS.
 */
function hasFolderTypeModule(folder: string): boolean {
  if (folder.endsWith(`${path.sep}node_modules`)) return false;
  const pj = path.join(folder, 'package.json');
  if (fs.existsSync(pj)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
      if (pkg) return pkg.type === 'module';
    } catch (error) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, error);
      return false;
    }
  }
  const parent = path.dirname(folder);
  return parent === folder ? false : hasFolderTypeModule(parent);
}

const SYNTAX_LOCATION = Symbol('syntax error location');

/**
 * Node gives a CommonJS module's syntax error the place as its stack's first line (`/app/a.js:3`);
 * an ES module's carries it only for Node's own report, so `checkSyntax` asks Node for it.
 */
function locateSyntaxError(error: SyntaxError): string | undefined {
  const known = (error as { [SYNTAX_LOCATION]?: string })[SYNTAX_LOCATION];
  if (known !== undefined) return known;
  const first = error.stack?.split('\n', 1)[0] ?? '';
  return /^(?:file:\/\/)?\/.*:\d+$/.test(first) ? first : undefined;
}

/** `node --check <file>`, read for the place of the syntax error (only after a load failed with one). */
function checkSyntax(file: string): string | undefined {
  const run = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const first = (run.stderr ?? '').split('\n', 1)[0];
  if (!/:\d+$/.test(first)) return undefined;
  return first.startsWith('file://') ? first.slice('file://'.length) : first;
}

/** tsx reports a TypeScript syntax error as esbuild's `TransformError` (without esbuild's `errors` list). */
function isTransformError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'TransformError';
}

/**
 * A deployed function is compiled JavaScript, whose syntax errors are `SyntaxError`s: esbuild's
 * `Transform failed with 1 error:\n<file>:<line>:<column>: ERROR: <text>` becomes
 * `<file>:<line>:<column>: <text>`.
 */
function toSyntaxError(error: Error): SyntaxError {
  const lines = error.message.split('\n');
  const details = lines.length > 1 ? lines.slice(1) : lines;
  return new SyntaxError(details.map((line) => line.replace(/: ERROR: /, ': ')).join('\n'));
}

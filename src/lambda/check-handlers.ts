import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/types.js';
import type { LambdaFunction } from './context.js';
import { locateHandler, type ModuleHandler, syntaxErrorLocation } from './load-handler.js';
import { invocations } from './runtime-env.js';

/** A function given by `Handler` string: what a startup check needs of it. */
export interface ModuleFunction {
  fn: LambdaFunction;
  /** The `Handler` string. */
  spec: string;
  codeRoot: string;
  handler: ModuleHandler;
}

/** The middleware's own hook for `serve`: loads every module function now (not public API). */
export const INIT_HANDLERS = Symbol.for('apigw-express.initHandlers');

function named(f: ModuleFunction): string {
  return `functions["${f.fn.name}"] (Handler ${f.spec}, CodeUri ${f.codeRoot})`;
}

/** The runtime's wording for a module none of the paths holds, with the paths. */
function missingModule(f: ModuleFunction, tried: string[]): string {
  const module = f.spec.slice(f.spec.lastIndexOf('/') + 1).split('.')[0];
  return `${named(f)}: Runtime.ImportModuleError: Error: Cannot find module '${module}' (tried ${tried.join(', ')})`;
}

/**
 * Says at startup which functions' modules do not exist (no code runs): the middleware keeps
 * serving, each call to such a function failing with Runtime.ImportModuleError as on Lambda,
 * which deploys a function whatever its code holds. `failsWith`: the status its API answers then.
 */
export function warnMissingModules(functions: ModuleFunction[], logger: Logger, failsWith = 502): void {
  for (const f of functions) {
    const location = locateHandler(f.spec, f.codeRoot);
    if (location === undefined || location.file !== undefined) continue;
    logger.warn(`apigw-express: ${missingModule(f, location.tried)}; each call fails with ${failsWith}`);
  }
}

/**
 * Lambda's Init phase for every function, ahead of the first request (as provisioned
 * concurrency does): each module loads with its function's runtime variables in `process.env`.
 * `problems`: one line per function whose code is wrong (the runtime's `Runtime.*` error, the
 * file, the place of a syntax error). `retried`: what a module threw while it ran; Lambda runs a
 * failed Init again at the next call, so such a function is tried again then.
 */
export async function initModuleFunctions(
  functions: ModuleFunction[],
): Promise<{ problems: string[]; retried: string[] }> {
  const problems: string[] = [];
  const retried: string[] = [];
  for (const f of functions) {
    const location = locateHandler(f.spec, f.codeRoot);
    if (location !== undefined && location.file === undefined) {
      problems.push(missingModule(f, location.tried));
      continue;
    }
    const invocation = { fn: f.fn, requestId: randomUUID(), initializing: true, fail: () => false };
    try {
      await invocations.run(invocation, () => f.handler.init());
    } catch (error) {
      const file = location?.file !== undefined ? `, file ${location.file}` : '';
      const where = syntaxErrorLocation(error);
      const runtimeError = error instanceof Error && error.name.startsWith('Runtime.');
      (runtimeError ? problems : retried).push(
        `functions["${f.fn.name}"] (Handler ${f.spec}${file}): ${describeLoadError(error)}${where !== undefined ? ` at ${where}` : ''}`,
      );
    }
  }
  return { problems, retried };
}

function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.name}: ${error.message.split('\n')[0]}`;
}

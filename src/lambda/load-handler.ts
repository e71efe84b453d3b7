import type { LambdaFunction } from './context.js';

/**
 * A handler given as Lambda's `Handler` string (`file.export` under `codeRoot`), loaded as the
 * Node.js runtime loads it, on the first invocation.
 */
export function moduleHandler(
  spec: string,
  codeRoot: string,
  _functionName: string,
): LambdaFunction['handler'] {
  return () => {
    throw Object.assign(new Error(`Cannot load ${spec} from ${codeRoot} yet`), {
      name: 'Runtime.ImportModuleError',
    });
  };
}

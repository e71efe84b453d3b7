import type { Logger } from '../config/types.js';
import type { DefinedHttpApi } from '../http-api/definitions/defined-http-api.js';
import { placeProblems } from '../http-api/definitions/place-problems.js';
import { invokeHttpApi } from '../http-api/test-invoke.js';
import { httpApi } from '../index.js';
import type { ApiArguments } from './api-arguments.js';
import type { InvokeArguments } from './invoke-arguments.js';

// AWS's console tests REST methods only; an HTTP API's answer comes with no execution log.
const NO_LOG =
  '(HTTP APIs have no test invoke on AWS: this ran as a client request, authorizers included; no execution log)';

/** `invoke` on a definition of HTTP APIs only: its first HTTP API answers the one request. */
export async function invokeDefinedHttpApi(
  defined: DefinedHttpApi,
  command: InvokeArguments & ApiArguments,
  body: string | Buffer | undefined,
  logger: Logger,
  out: (text: string) => void,
): Promise<number> {
  const stageVariables =
    command.stageVariables === undefined
      ? defined.options.stageVariables
      : { ...defined.options.stageVariables, ...command.stageVariables };
  let api: ReturnType<typeof httpApi>;
  try {
    api = httpApi({
      ...defined.options,
      ...(stageVariables !== undefined && { stageVariables }),
      logger,
    });
  } catch (error) {
    throw placeProblems(error, defined.sources);
  }
  try {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of command.headers) headers[name] = [...(headers[name] ?? []), value];
    const started = Date.now();
    const result = await invokeHttpApi(api, {
      method: command.method,
      path: command.path,
      query: command.query,
      headers,
      ...(body !== undefined && { body }),
    });
    const latency = Date.now() - started;
    if (command.json) {
      const { bodyBytes: _bytes, ...rest } = result;
      out(`${JSON.stringify({ ...rest, latency }, null, 2)}\n`);
    } else {
      out(
        [
          `Request: ${command.path}${command.query === '' ? '' : `?${command.query}`}`,
          `Status: ${result.status}`,
          `Latency: ${latency} ms`,
          'Response body',
          result.body,
          'Response headers',
          JSON.stringify(result.headers),
          'Logs',
          NO_LOG,
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    await api.close();
  }
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../config/types.js';
import type { TestInvokeRequest, TestInvokeResult } from '../gateway/test-invoke.js';
import { apiGateway, testInvoke } from '../index.js';
import type { ApiArguments } from './api-arguments.js';
import { invokeDefinedHttpApi } from './http-api-invoke.js';
import type { InvokeArguments } from './invoke-arguments.js';
import { ApiFileError, loadApi } from './load-api.js';

/** The console's Test result, as text: request, status, latency, body, headers, then the log. */
export function formatInvokeResult(request: string, result: TestInvokeResult): string {
  return [
    `Request: ${request}`,
    `Status: ${result.status}`,
    `Latency: ${result.latencyMs} ms`,
    'Response body',
    result.body,
    'Response headers',
    JSON.stringify(result.headers),
    'Logs',
    result.log,
  ].join('\n');
}

/** Runs `invoke`: loads the API, runs the one request, prints it; 0 whatever the HTTP status. */
export async function runInvoke(
  command: InvokeArguments & ApiArguments,
  logger: Logger,
  out: (text: string) => void,
): Promise<number> {
  let body: string | Buffer | undefined = command.body;
  if (body?.startsWith('@')) {
    const file = body.slice(1);
    try {
      body = await readFile(path.resolve(file));
    } catch (error) {
      throw new ApiFileError(
        file,
        `cannot read --body file: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  const { options, restless, httpApis } = await loadApi(command, logger);
  if ((restless === true || command.httpApi === true) && httpApis?.[0] !== undefined)
    return invokeDefinedHttpApi(httpApis[0], command, body, logger, out);
  if (command.httpApi === true)
    throw new ApiFileError(command.file, '--http-api: the definition has no HTTP API');
  const api = apiGateway({ ...options, logger });
  try {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of command.headers) headers[name] = [...(headers[name] ?? []), value];
    const input: TestInvokeRequest = {
      method: command.method,
      path: command.path,
      query: command.query,
      headers,
      authorize: command.authorize,
    };
    if (body !== undefined) input.body = body;
    if (command.stageVariables !== undefined) input.stageVariables = command.stageVariables;
    const result = await testInvoke(api, input);
    if (command.json) {
      const { latencyMs, ...rest } = result;
      out(`${JSON.stringify({ ...rest, latency: latencyMs }, null, 2)}\n`);
    } else {
      out(formatInvokeResult(`${command.path}${command.query === '' ? '' : `?${command.query}`}`, result));
    }
    return 0;
  } finally {
    await api.close();
  }
}

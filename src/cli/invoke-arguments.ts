import { UsageError } from './usage-error.js';

/** `invoke`'s own arguments: one request, as the console's Test form takes it. */
export interface InvokeArguments {
  method: string;
  path: string;
  headers: [string, string][];
  query: string;
  /** The text given, or `@file` to read. */
  body?: string;
  stageVariables?: Record<string, string>;
  authorize: boolean;
  json: boolean;
}

/** parseArgs' values for `invoke` → its arguments; throws UsageError naming the flag. */
export function parseInvokeArguments(values: Record<string, unknown>): InvokeArguments {
  const target = values.path as string | undefined;
  if (target === undefined || target === '') {
    throw new UsageError('invoke: --path is missing (apigw-express invoke <file> --path /pets/1)');
  }
  const [pathPart, inlineQuery] = target.split(/\?(.*)/s);
  const method = ((values.method as string | undefined) ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`invoke: --method: "${method}" is not an HTTP method`);
  const headers = ((values.header as string[] | undefined) ?? []).map((header): [string, string] => {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`invoke: --header: "${header}" is not name:value`);
    return [header.slice(0, colon).trim(), header.slice(colon + 1).trim()];
  });
  const query = [inlineQuery, ...((values.query as string[] | undefined) ?? [])]
    .filter((part): part is string => part !== undefined && part !== '')
    .join('&');
  const args: InvokeArguments = {
    method,
    path: pathPart.startsWith('/') ? pathPart : `/${pathPart}`,
    headers,
    query,
    authorize: values.authorize === true,
    json: values.json === true,
  };
  if (values.body !== undefined) args.body = values.body as string;
  const variables = values['stage-variable'] as string[] | undefined;
  if (variables !== undefined) {
    args.stageVariables = {};
    for (const pair of variables) {
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new UsageError(`invoke: --stage-variable: "${pair}" is not name=value`);
      args.stageVariables[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
  }
  return args;
}

import { ConfigError, configErrors } from '../config/config-error.js';
import { validateFunction } from '../config/validate.js';
import { validateFunctionLogs } from '../lambda/logging-config.js';
import { validateHttpAuthorizers } from './auth/validate-authorizers.js';
import { validateCors } from './cors.js';
import { compileRequestParameters, compileResponseParameters } from './parameter-mapping.js';
import { validateThrottling } from './throttling.js';
import type { HttpApiOptions } from './types.js';

const OPTION_KEYS = new Set([
  'functions',
  'routes',
  'stageName',
  'stageVariables',
  'apiId',
  'accountId',
  'region',
  'logger',
  'clock',
  'cors',
  'throttle',
  'routeSettings',
  'store',
  'authorizers',
  'awsCredentials',
  'accessLogSettings',
  'metrics',
  'functionLogs',
  'catchHandlerErrors',
  'disableExecuteApiEndpoint',
]);
const ROUTE_KEYS = new Set(['integration', 'authorizer', 'authorizationScopes', 'authorizationType']);
const INTEGRATION_KEYS = new Set([
  'function',
  'payloadFormatVersion',
  'timeoutInMillis',
  'requestParameters',
  'responseParameters',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(
  value: Record<string, unknown>,
  allowed: Set<string>,
  where: string,
  problems: string[],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key))
      problems.push(`${where}: unknown option "${key}" (known: ${[...allowed].join(', ')})`);
  }
}

/** What CreateRoute, CreateIntegration and CreateStage refuse, said at startup with the route and field. */
export function validateHttpApi(options: HttpApiOptions): void {
  if (!isObject(options)) throw new ConfigError('httpApi(): options must be an object');
  const problems: string[] = [];
  unknownKeys(options, OPTION_KEYS, 'httpApi()', problems);
  const functions = options.functions ?? {};
  if (!isObject(functions)) problems.push('functions: must be an object of function name → handler');
  else {
    for (const [name, fn] of Object.entries(functions)) {
      try {
        validateFunction(name, fn);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (
    options.disableExecuteApiEndpoint !== undefined &&
    typeof options.disableExecuteApiEndpoint !== 'boolean'
  )
    problems.push(
      `disableExecuteApiEndpoint: true or false (got ${JSON.stringify(options.disableExecuteApiEndpoint)})`,
    );
  const stage = options.stageName;
  // CFN-stage: `$default`, or letters, digits, - and _, at most 128.
  if (
    stage !== undefined &&
    (typeof stage !== 'string' || (stage !== '$default' && !/^[A-Za-z0-9_-]{1,128}$/.test(stage)))
  ) {
    problems.push(`stageName: "$default" or 1–128 letters, digits, - and _ (got ${JSON.stringify(stage)})`);
  }
  if (options.stageVariables !== undefined) {
    if (!isObject(options.stageVariables)) problems.push('stageVariables: an object of name → string');
    else {
      for (const [name, value] of Object.entries(options.stageVariables)) {
        if (!/^[A-Za-z0-9_]+$/.test(name))
          problems.push(`stageVariables["${name}"]: names are letters, digits and _`);
        // CFN-stage: values `[A-Za-z0-9-._~:/?#&=,]+`.
        if (typeof value !== 'string' || !/^[A-Za-z0-9\-._~:/?#&=,]+$/.test(value))
          problems.push(
            `stageVariables["${name}"]: 1 or more of A-Z a-z 0-9 - . _ ~ : / ? # & = , (got ${JSON.stringify(value)})`,
          );
      }
    }
  }
  for (const key of ['apiId', 'accountId', 'region'] as const) {
    if (options[key] !== undefined && (typeof options[key] !== 'string' || options[key] === ''))
      problems.push(`${key}: a non-empty string`);
  }
  validateCors(options.cors, problems);
  validateThrottling(
    options.throttle,
    options.routeSettings,
    isObject(options.routes) ? Object.keys(options.routes) : [],
    problems,
  );
  if (options.catchHandlerErrors !== undefined && typeof options.catchHandlerErrors !== 'boolean')
    problems.push(`catchHandlerErrors: true or false (got ${JSON.stringify(options.catchHandlerErrors)})`);
  try {
    validateFunctionLogs(options.functionLogs);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (options.clock !== undefined && typeof options.clock !== 'function')
    problems.push('clock: a function returning epoch milliseconds');
  if (!isObject(options.routes))
    problems.push('routes: missing; an object of route key ("GET /pets/{id}", "$default") → { integration }');
  else {
    for (const [routeKey, route] of Object.entries(options.routes)) {
      const where = `routes["${routeKey}"]`;
      if (!isObject(route)) {
        problems.push(`${where}: an object with integration`);
        continue;
      }
      unknownKeys(route, ROUTE_KEYS, where, problems);
      const integration = route.integration;
      if (!isObject(integration)) {
        problems.push(`${where}.integration: missing; { function, payloadFormatVersion, timeoutInMillis }`);
        continue;
      }
      unknownKeys(integration, INTEGRATION_KEYS, `${where}.integration`, problems);
      if (
        typeof integration.function !== 'string' ||
        !isObject(functions) ||
        !Object.hasOwn(functions, integration.function)
      )
        problems.push(
          `${where}.integration.function: ${JSON.stringify(integration.function)} is not in functions`,
        );
      const version = integration.payloadFormatVersion;
      if (version !== undefined && version !== '2.0' && version !== '1.0')
        problems.push(
          `${where}.integration.payloadFormatVersion: "2.0" or "1.0" (got ${JSON.stringify(version)})`,
        );
      compileRequestParameters(
        integration.requestParameters,
        `${where}.integration.requestParameters`,
        problems,
      );
      compileResponseParameters(
        integration.responseParameters,
        `${where}.integration.responseParameters`,
        problems,
      );
      const timeout = integration.timeoutInMillis;
      // CFN-integration: 50–30000.
      if (
        timeout !== undefined &&
        !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 50 && timeout <= 30000)
      )
        problems.push(
          `${where}.integration.timeoutInMillis: an integer from 50 to 30000 (got ${JSON.stringify(timeout)})`,
        );
    }
  }
  validateHttpAuthorizers(options, problems);
  if (problems.length > 0) throw configErrors(problems);
}

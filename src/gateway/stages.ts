import type { IncomingMessage } from 'node:http';
import { ConfigError, configErrors } from '../config/config-error.js';
import type { Integration, Method, ResolvedOptions, Stage } from '../config/types.js';
import { integrationFunctionName, shown } from '../config/validate.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { isAmbiguousPath } from '../http/request-target.js';
import type { CompiledIntegration, IntegrationOutcome } from '../integrations/compiled-integration.js';
import { GatewayError } from '../responses/gateway-error.js';
import { type CompiledApi, createGateway, type SharedCompilation } from './create-gateway.js';
import { readTarget } from './read-target.js';
import {
  hasStageVariables,
  invalidStageVariableMessage,
  resolveStageVariables,
  STAGE_VARIABLE_NAME,
  stageVariableNames,
} from './stage-variables.js';

const STAGE_KEYS = ['variables', 'methodSettings', 'accessLogSettings', 'deploymentId', 'description'];
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
// One stage's own options replace these; given beside `stages` they would be ambiguous.
const SINGLE_STAGE_KEYS = ['stageName', 'stageVariables', 'basePath'] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `stages` option's shape: names and fields as create-stage takes them. */
function checkStages(options: ResolvedOptions): void {
  const problems: string[] = [];
  const stages: unknown = options.stages;
  if (!isObject(stages) || Object.keys(stages).length === 0) {
    throw new ConfigError(`stages: must be an object of stage name → stage (got ${shown(stages)})`);
  }
  for (const key of SINGLE_STAGE_KEYS) {
    if (options[key] !== undefined) {
      problems.push(
        `${key}: not with stages (each stage is served under /{stageName}, with its own variables)`,
      );
    }
  }
  for (const [name, stage] of Object.entries(stages)) {
    const where = `stages["${name}"]`;
    if (!STAGE_NAME.test(name)) {
      problems.push(`${where}: stage names use letters, digits, - and _, at most 128`);
    }
    if (!isObject(stage)) {
      problems.push(`${where}: must be an object (variables, methodSettings, …) (got ${shown(stage)})`);
      continue;
    }
    for (const key of Object.keys(stage)) {
      if (!STAGE_KEYS.includes(key)) {
        problems.push(`${where}: unknown field "${key}" (allowed: ${STAGE_KEYS.join(', ')})`);
      }
    }
    const variables = stage.variables;
    if (variables !== undefined && !isObject(variables)) {
      problems.push(`${where}.variables: must be an object of name → string (got ${shown(variables)})`);
    }
    for (const [key, value] of Object.entries(isObject(variables) ? variables : {})) {
      if (!STAGE_VARIABLE_NAME.test(key)) {
        problems.push(`${where}.variables["${key}"]: names use letters, digits and _, at most 64`);
      } else if (typeof value !== 'string') {
        problems.push(`${where}.variables["${key}"]: must be a string (got ${shown(value)})`);
      }
    }
    for (const key of ['deploymentId', 'description'] as const) {
      if (stage[key] !== undefined && (typeof stage[key] !== 'string' || stage[key] === '')) {
        problems.push(`${where}.${key}: must be a non-empty string (got ${shown(stage[key])})`);
      }
    }
  }
  if (problems.length > 0) throw configErrors(problems);
}

/**
 * A Lambda integration the stage's variables leave without a function: as on AWS the stage still
 * serves, and each call of the method fails with a 500 (API_CONFIGURATION_ERROR), its execution
 * log naming the cause (the invalid value, recorded in
 * https://github.com/awsdocs/amazon-api-gateway-developer-guide/issues/91).
 */
class UnresolvedFunction implements CompiledIntegration {
  constructor(private readonly cause: string) {}

  async execute(req: GatewayRequest): Promise<IntegrationOutcome> {
    req.trace?.error(`Execution failed due to configuration error: ${this.cause}`);
    return new GatewayError('API_CONFIGURATION_ERROR');
  }
}

/** What the startup warning says, and what each call's execution log says. */
interface Unresolved {
  said: string;
  logged: string;
}

/** `GET /orders` → why the stage's variables leave its Lambda `uri` without a function. */
function unresolvedFunctions(
  options: ResolvedOptions,
  variables: Record<string, string>,
): Map<string, Unresolved> {
  const unresolved = new Map<string, Unresolved>();
  for (const [path, resource] of Object.entries(options.resources ?? {})) {
    if (!isObject(resource)) continue;
    for (const [httpMethod, method] of Object.entries(resource)) {
      const integration = isObject(method) ? (method as unknown as Method).integration : undefined;
      const uri = isObject(integration) ? integration.uri : undefined;
      if (integration?.function !== undefined || typeof uri !== 'string') continue;
      if (!uri.includes(':lambda:path/') || !hasStageVariables(uri)) continue;
      const resolved = resolveStageVariables(uri, variables);
      if (resolved === undefined) {
        const unset = stageVariableNames(uri).filter((v) => !variables[v]);
        unresolved.set(`${httpMethod.toUpperCase()} ${path}`, {
          said: `stage variable "${unset[0]}" is not set`,
          logged: invalidStageVariableMessage(null),
        });
        continue;
      }
      const name = integrationFunctionName({ ...integration, uri } as Integration, variables);
      if (name !== undefined && !Object.hasOwn(options.functions ?? {}, name)) {
        unresolved.set(`${httpMethod.toUpperCase()} ${path}`, {
          said: `unknown function "${name}"`,
          logged: `Function not found: ${name}`,
        });
      }
    }
  }
  return unresolved;
}

/** The resources with each unresolved method's integration set aside (it is replaced once compiled). */
function withoutUnresolved(
  options: ResolvedOptions,
  unresolved: Map<string, Unresolved>,
): ResolvedOptions['resources'] {
  if (unresolved.size === 0) return options.resources;
  const resources: ResolvedOptions['resources'] = {};
  for (const [path, resource] of Object.entries(options.resources)) {
    const copy: Record<string, unknown> = { ...resource };
    for (const [httpMethod, method] of Object.entries(resource)) {
      if (!unresolved.has(`${httpMethod.toUpperCase()} ${path}`)) continue;
      const { uri: _uri, ...integration } = (method as Method).integration;
      copy[httpMethod] = { ...(method as Method), integration: { ...integration, type: 'MOCK' } };
    }
    resources[path] = copy as ResolvedOptions['resources'][string];
  }
  return resources;
}

/** One stage as the single-stage options say it: the API's options with the stage's own. */
function stageOptions(options: ResolvedOptions, name: string, stage: Stage): ResolvedOptions {
  const { stages: _stages, ...api } = options;
  const accessLogSettings =
    stage.accessLogSettings !== undefined
      ? { ...options.accessLogSettings, ...stage.accessLogSettings }
      : options.accessLogSettings;
  return {
    ...api,
    stageName: name,
    stageVariables: stage.variables ?? {},
    methodSettings: stage.methodSettings ?? options.methodSettings,
    accessLogSettings,
  };
}

/**
 * One API, several stages: each stage a CompiledApi of its own (variables, throttles, authorizer
 * caches, logs) over what they share. The first stage is returned, holding them all in `stages`.
 */
export function createStages(options: ResolvedOptions): CompiledApi {
  checkStages(options);
  const shared: SharedCompilation = { validators: new Map(), templates: new Map() };
  const stages = new Map<string, CompiledApi>();
  for (const [name, stage] of Object.entries(options.stages as Record<string, Stage>)) {
    // What is wrong with the API whatever the stage is said as for one stage, by the first.
    const named = stages.size > 0;
    const variables = isObject(stage.variables) ? stage.variables : {};
    const unresolved = unresolvedFunctions(options, variables);
    const integrations = new Map<string, CompiledIntegration>();
    for (const [route, { said, logged }] of unresolved) {
      integrations.set(route, new UnresolvedFunction(logged));
      warn(
        options,
        `stages["${name}"]: ${route}: integration.uri: ${said}; every call answers 500, as on AWS`,
      );
    }
    try {
      const own = {
        ...stageOptions(options, name, stage),
        resources: withoutUnresolved(options, unresolved),
      };
      stages.set(`/${name}`, createGateway(own, { shared, deploymentId: stage.deploymentId, integrations }));
    } catch (error) {
      // What the first stage holds open (the console capture, a Redis connection) goes with it.
      const [first] = stages.values();
      first?.releaseConsole?.();
      Promise.resolve()
        .then(() => first?.store.close?.())
        .catch(() => undefined);
      if (!(error instanceof ConfigError) || !named) throw error;
      throw configErrors(error.problems.map((problem) => `stages["${name}"]: ${problem}`));
    }
  }
  const [first] = stages.values();
  return Object.assign(first, { stages });
}

/**
 * The stage a request is under, by its first path segment; undefined when none. A target a URL
 * reader would resolve into a stage (`/x/../beta/…`) is that stage's, so it can refuse it.
 */
export function selectStage(api: CompiledApi, req: IncomingMessage): CompiledApi | undefined {
  const stages = api.stages as ReadonlyMap<string, CompiledApi>;
  const url = req.url ?? '/';
  let start = 0;
  while (url.charCodeAt(start + 1) === 47) start++; // `//beta/x` is `/beta/x`
  let end = start + 1;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) break; // `/`, `?`, `#`
    end++;
  }
  const found = stages.get(url.slice(start, end));
  const originalUrl = (req as { originalUrl?: string }).originalUrl ?? url;
  // Dot segments may lead out of the stage the URL starts with: then each stage reads it in full.
  if (
    found !== undefined &&
    !isAmbiguousPath(url) &&
    (originalUrl === url || !isAmbiguousPath(originalUrl))
  ) {
    return found;
  }
  for (const stage of stages.values()) {
    if (readTarget(req, stage.basePath) !== undefined) return stage;
  }
  return undefined;
}

/** Config → CompiledApi: one stage, or several with `stages`. Throws ConfigError. */
export function compileApi(options: ResolvedOptions): CompiledApi {
  return options.stages === undefined ? createGateway(options) : createStages(options);
}

/** Whether a request is under the API's stage (or one of its stages). */
export function isUnderStage(api: CompiledApi, req: IncomingMessage): boolean {
  return api.stages === undefined
    ? readTarget(req, api.basePath) !== undefined
    : selectStage(api, req) !== undefined;
}

function warn(options: ResolvedOptions, message: string): void {
  try {
    (options.logger ?? console).warn(`apigw-express: ${message}`);
  } catch {
    // a broken logger must not stop the startup
  }
}

import type { IncomingMessage } from 'node:http';
import { ConfigError, configErrors } from '../config/config-error.js';
import type { ResolvedOptions, Stage } from '../config/types.js';
import { shown } from '../config/validate.js';
import { isAmbiguousPath } from '../http/request-target.js';
import { type CompiledApi, createGateway, type SharedCompilation } from './create-gateway.js';
import { readTarget } from './handle-request.js';
import { STAGE_VARIABLE_NAME } from './stage-variables.js';

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
    try {
      stages.set(
        `/${name}`,
        createGateway(stageOptions(options, name, stage), { shared, deploymentId: stage.deploymentId }),
      );
    } catch (error) {
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
  if (found !== undefined && !isAmbiguousPath(url) && !isAmbiguousPath(originalUrl)) return found;
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

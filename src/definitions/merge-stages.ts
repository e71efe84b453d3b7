import type { ApiGatewayOptions, Logger, ResolvedOptions, Stage } from '../config/types.js';
import { importDefinition } from './load-definition.js';

// What a definition's stages may set apart; anything else differing keeps them apart.
const STAGE_OWN = new Set<string>(['stageName', 'stageVariables', 'methodSettings', 'accessLogSettings']);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false; // a cycle: not provably the same
  }
}

/**
 * The options of each stage a definition declares, read one stage at a time, as one API with
 * `stages`, so one gateway serves them all; undefined when they differ in more than a stage's own
 * settings (a usage plan bound to one stage, a resource policy naming one), which one gateway's
 * shared options could not keep apart.
 * @example
 * mergeStages([{ resources, stageName: 'Prod', stageVariables: { fn: 'a' } }, { resources, stageName: 'Stage' }])
 * // { resources, stages: { Prod: { variables: { fn: 'a' } }, Stage: { variables: {} } } }
 */
export function mergeStages(stages: ResolvedOptions[]): ResolvedOptions | undefined {
  const [first] = stages;
  if (first === undefined || first.basePath !== undefined) return undefined;
  const keys = new Set(stages.flatMap((options) => Object.keys(options)));
  for (const key of keys) {
    if (STAGE_OWN.has(key)) continue;
    const value = first[key as keyof ResolvedOptions];
    if (!stages.every((options) => sameValue(options[key as keyof ResolvedOptions], value))) return undefined;
  }
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) if (!STAGE_OWN.has(key)) merged[key] = value;
  const byName: Record<string, Stage> = {};
  for (const options of stages) {
    const stage: Stage = { variables: options.stageVariables ?? {} };
    if (options.methodSettings !== undefined) stage.methodSettings = options.methodSettings;
    // A destination the app gives logs nothing for a stage of the definition with no format (no AccessLogSetting).
    if (options.accessLogSettings?.format !== undefined) stage.accessLogSettings = options.accessLogSettings;
    byName[options.stageName ?? 'prod'] = stage;
  }
  return { ...(merged as unknown as ResolvedOptions), stages: byName };
}

/**
 * A definition read into options serving every stage it declares (`AWS::ApiGateway::Stage`
 * resources, a SAM API's stage and SAM's `Stage`), as one API with `stages`; the first stage
 * alone when `stageName` or `basePath` picks one, or when the stages differ beyond their own settings.
 */
export async function loadDefinitionStages(
  options: ApiGatewayOptions,
  logger: Logger,
): Promise<ResolvedOptions> {
  const first = await importDefinition(options, logger);
  if (options.stages !== undefined) {
    // The app's own stages replace the definition's.
    const { stageName: _n, stageVariables: _v, ...api } = first.options;
    return api as ResolvedOptions;
  }
  if (options.stageName !== undefined || options.basePath !== undefined || first.stages.length < 2) {
    return first.options;
  }
  // The definition's warnings were given once, for the first stage.
  const quiet: Logger = {
    debug: (...args) => logger.debug?.(...args),
    info: (...args) => logger.info?.(...args),
    warn: () => undefined,
    error: (...args) => logger.error(...args),
  };
  const others: ResolvedOptions[] = [];
  for (const stageName of first.stages.slice(1)) {
    const { options: stage } = await importDefinition({ ...options, stageName }, quiet);
    others.push({ ...stage, logger: first.options.logger });
  }
  return mergeStages([first.options, ...others]) ?? first.options;
}

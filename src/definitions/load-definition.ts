import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions, Logger, ResolvedOptions } from '../config/types.js';
import { integrationFunctionName } from '../config/validate.js';
import { isHttpApiNote } from './http-api-note.js';
import type { Importer } from './import-context.js';
import { countMethods, nothingToServe } from './nothing-to-serve.js';
import { importOpenApi } from './openapi-import.js';
import { importSam } from './sam-import.js';
import { importServerless } from './serverless-import.js';
import { locate } from './source-file.js';
import { settleGuards } from './unenforced-guards.js';

const DEFINITION_KEYS = ['openapi', 'template', 'serverless'] as const;

/** Whether the options name a definition to import (then `apiGateway()` becomes ready asynchronously). */
export function hasDefinition(options: ApiGatewayOptions): boolean {
  return DEFINITION_KEYS.some((key) => options[key] !== undefined);
}

/**
 * Reads the definition the options name into plain options: its resources, authorizers, keys,
 * models…, with the options given alongside winning (`functions` by name, `stageName`, `logger`,
 * `clock`, `store` …). The unsupported fields are named in one startup warning; a restriction
 * that cannot be enforced (an authorizer outside the definition, a PRIVATE endpoint…) is a
 * ConfigError, unless `serveUnenforcedGuardsOpen` serves it open, each opened method logged.
 */
export async function loadDefinition(options: ApiGatewayOptions, logger: Logger): Promise<ResolvedOptions> {
  return (await importDefinition(options, logger)).options;
}

/** How the caller serves the definition beyond its REST API. */
export interface ImportSettings {
  /** The definition's HTTP APIs are served too (`apigw-express serve`): not named as left out. */
  httpApisServed?: boolean;
}

/** `loadDefinition`, with the stages the definition declares (the one served first). */
export async function importDefinition(
  options: ApiGatewayOptions,
  logger: Logger,
  settings: ImportSettings = {},
): Promise<{ options: ResolvedOptions; stages: string[] }> {
  const named = DEFINITION_KEYS.filter((key) => options[key] !== undefined);
  if (named.length > 1) throw new ConfigError(`${named.join(', ')}: give one definition, not several`);
  if (options.resources !== undefined) {
    throw new ConfigError(`resources: not with ${named[0]} (the definition gives the resources)`);
  }
  const key = named[0];
  // Only a template has Parameters; overrides for anything else would be dropped unseen.
  if (options.parameterOverrides !== undefined && key !== 'template') {
    throw new ConfigError(`parameterOverrides: only a template has Parameters, not ${key}`);
  }
  const importer: Importer =
    key === 'openapi' ? importOpenApi : key === 'template' ? importSam : importServerless;
  const source = options[key] as string | Record<string, unknown>;
  if (options.allowRemoteRefs !== undefined && typeof options.allowRemoteRefs !== 'boolean') {
    throw new ConfigError('allowRemoteRefs: true or false');
  }
  const { baseDir } = locate(source);
  const imported = await importer(source, {
    baseDir,
    stageName: options.stageName,
    parameterOverrides: options.parameterOverrides,
    importValues: options.importValues,
    stackName: options.stackName,
    region: options.region,
    accountId: options.accountId,
    allowRemoteRefs: options.allowRemoteRefs === true,
    logger,
  });
  if (countMethods(imported.options.resources) === 0) {
    throw nothingToServe(key, 'no REST API method in it', imported.found ?? [], imported.unsupported);
  }
  // A restriction that cannot be enforced refuses to start, unless the user asks for it open.
  settleGuards(
    key,
    imported.unenforcedGuards,
    imported.options.resources,
    options.serveUnenforcedGuardsOpen === true,
    logger,
  );
  warnUnmatchedFunctions(key, options, imported.options, logger);
  const leftOut = settings.httpApisServed
    ? imported.unsupported.filter((item) => !isHttpApiNote(item))
    : imported.unsupported;
  if (leftOut.length > 0) {
    logger.warn(`apigw-express: ${key}: not supported, left out: ${leftOut.join('; ')}`);
  }
  const {
    openapi: _o,
    template: _t,
    serverless: _s,
    parameterOverrides: _p,
    importValues: _i,
    serveUnenforcedGuardsOpen: _g,
    stackName: _n,
    allowRemoteRefs: _r,
    ...given
  } = options;
  const resolved = {
    ...imported.options,
    ...given,
    resources: imported.options.resources,
    functions: { ...imported.options.functions, ...given.functions },
    // The definition's stage may give the format; the app, where the lines go (or another format).
    accessLogSettings:
      given.accessLogSettings !== undefined && imported.options.accessLogSettings !== undefined
        ? { ...imported.options.accessLogSettings, ...given.accessLogSettings }
        : (given.accessLogSettings ?? imported.options.accessLogSettings),
  } as ResolvedOptions;
  const served = resolved.stageName ?? 'prod';
  const others = (imported.stages ?? []).filter((name) => name !== served);
  return { options: resolved, stages: [served, ...others] };
}

/**
 * An override in `functions` must replace a function of the definition: one that matches none
 * (a misspelt name, a template's logical id for a serverless.yml's function key) would leave the
 * definition's own handler running, so it is named in a warning with the names that would match.
 */
function warnUnmatchedFunctions(
  key: string,
  given: ApiGatewayOptions,
  imported: ResolvedOptions,
  logger: Logger,
): void {
  const overrides = Object.keys(given.functions ?? {});
  if (overrides.length === 0) return;
  const known = definitionFunctions(imported);
  const unmatched = overrides.filter((name) => !known.has(name));
  if (unmatched.length === 0) return;
  const names = [...known].sort();
  logger.warn(
    `apigw-express: functions: ${unmatched.map((n) => `"${n}"`).join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no function of the ${key}, so ${unmatched.length === 1 ? 'it is' : 'they are'} not used (its functions: ${names.length > 0 ? names.join(', ') : 'none'})`,
  );
}

/** Every function the definition declares or calls: its own, and those its integrations and authorizers name. */
function definitionFunctions(options: ResolvedOptions): Set<string> {
  const names = new Set(Object.keys(options.functions ?? {}));
  const add = (name: string | undefined) => {
    if (name !== undefined && name !== '') names.add(name);
  };
  for (const resource of Object.values(options.resources)) {
    for (const [field, method] of Object.entries(resource)) {
      if (field === 'cors' || typeof method !== 'object' || method === null || !('integration' in method))
        continue;
      add(integrationFunctionName(method.integration, options.stageVariables));
    }
  }
  for (const authorizer of Object.values(options.authorizers ?? {})) {
    if (authorizer.type === 'COGNITO_USER_POOLS') continue;
    add(integrationFunctionName({ type: 'AWS_PROXY', function: authorizer.function, uri: authorizer.uri }));
  }
  return names;
}

export type { ImportContext, ImportedApi, Importer } from './import-context.js';

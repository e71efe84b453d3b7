import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions, Logger, ResolvedOptions } from '../config/types.js';
import type { ImportedApi, Importer } from './import-context.js';
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
  const named = DEFINITION_KEYS.filter((key) => options[key] !== undefined);
  if (named.length > 1) throw new ConfigError(`${named.join(', ')}: give one definition, not several`);
  if (options.resources !== undefined) {
    throw new ConfigError(`resources: not with ${named[0]} (the definition gives the resources)`);
  }
  const key = named[0];
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
  if (imported.unsupported.length > 0) {
    logger.warn(`apigw-express: ${key}: not supported, left out: ${imported.unsupported.join('; ')}`);
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
  return {
    ...imported.options,
    ...given,
    resources: imported.options.resources,
    functions: { ...imported.options.functions, ...given.functions },
  } as ResolvedOptions;
}

export type { ImportContext, ImportedApi, Importer } from './import-context.js';

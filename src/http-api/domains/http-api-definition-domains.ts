import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../config/types.js';
import { parseTemplate } from '../../definitions/cloudformation/yaml-tags.js';
import { readServerlessFile } from '../../definitions/serverless/read-serverless-file.js';
import type { CustomDomainName } from '../../domains/custom-domains.js';
import type { DomainDefinitionSource } from '../../domains/read-domain-mappings.js';
import { loadHttpApiDefinitions } from '../definitions/load-http-api-definition.js';
import type { HttpApiMiddleware } from '../types.js';
import {
  type HttpApiDomainMapping,
  serverlessHttpApiMappings,
  templateHttpApiMappings,
} from './http-api-domain-mappings.js';
import { httpApiIdentityOf } from './http-api-marker.js';

/** An HTTP API a definition declares, served: its logical id (or service name), middleware and stage. */
export interface ServedHttpApi {
  name: string;
  api: HttpApiMiddleware;
  stage: string;
}

/**
 * A definition's HTTP API mappings as `customDomains()` takes them, each to the served API it
 * names (a serverless service has one). A mapping to an API or stage not served is left out with
 * a warning: nothing here serves it.
 */
export function httpApiDomains(
  mappings: HttpApiDomainMapping[],
  served: ServedHttpApi[],
  logger: Logger,
): Record<string, CustomDomainName> {
  const out: Record<string, CustomDomainName> = {};
  for (const mapping of mappings) {
    const target = mapping.apiId === undefined ? served[0] : served.find((s) => s.name === mapping.apiId);
    const shown = `${mapping.domainName}/${mapping.basePath}`;
    if (target === undefined) {
      logger.warn(
        `apigw-express: ${mapping.where}: maps ${shown} to ${mapping.apiId ?? 'the HTTP API'}, which is not served; left out`,
      );
      continue;
    }
    if (target.stage !== mapping.stage) {
      logger.warn(
        `apigw-express: ${mapping.where}: maps ${shown} to stage ${mapping.stage} of ${target.name}, which serves ${target.stage}; left out`,
      );
      continue;
    }
    out[mapping.domainName] ??= { mappings: {} };
    out[mapping.domainName].mappings[mapping.basePath === '' ? '(none)' : mapping.basePath] = target.api;
  }
  return out;
}

/** The HTTP API mappings of a template or serverless.yml (undefined for other definitions). */
export async function readHttpApiMappings(
  source: DomainDefinitionSource,
  baseDir = process.cwd(),
): Promise<HttpApiDomainMapping[]> {
  if (source.template !== undefined) {
    const template =
      typeof source.template === 'string'
        ? (parseTemplate(await readFile(path.resolve(baseDir, source.template), 'utf8')) as Record<
            string,
            unknown
          >)
        : source.template;
    return templateHttpApiMappings(template, source);
  }
  if (source.serverless !== undefined) {
    const document =
      typeof source.serverless === 'string'
        ? await readServerlessFile(path.resolve(baseDir, source.serverless))
        : source.serverless;
    return serverlessHttpApiMappings(document, source, baseDir);
  }
  return [];
}

/**
 * `definitionDomainNames(source, httpApi(...))`: the custom domains the definition maps to the
 * HTTP API `api` serves (its first, as `httpApi({ template })` serves it) and to its stage.
 */
export async function httpApiDefinitionDomainNames(
  source: DomainDefinitionSource,
  api: HttpApiMiddleware,
  logger: Logger,
): Promise<Record<string, CustomDomainName>> {
  await api.ready;
  const { stage } = await httpApiIdentityOf(api);
  const [first] = await loadHttpApiDefinitions(
    { template: source.template, serverless: source.serverless },
    {
      stageName: stage,
      parameterOverrides: source.parameterOverrides,
      stackName: source.stackName,
      region: source.region,
      accountId: source.accountId,
    },
  );
  const mappings = await readHttpApiMappings(source);
  return httpApiDomains(mappings, first === undefined ? [] : [{ name: first.name, api, stage }], logger);
}

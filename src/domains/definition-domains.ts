import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../config/types.js';
import { parseTemplate } from '../definitions/cloudformation/yaml-tags.js';
import type { CompiledApi } from '../gateway/create-gateway.js';
import type { ApiGatewayMiddleware } from '../gateway/middleware.js';
import { httpApiDefinitionDomainNames } from '../http-api/domains/http-api-definition-domains.js';
import { isHttpApi } from '../http-api/domains/http-api-marker.js';
import type { HttpApiMiddleware } from '../http-api/types.js';
import type { BasePathMapping, CustomDomainName } from './custom-domains.js';
import {
  type DomainDefinitionSource,
  type DomainMappingDefinition,
  readDomainMappings,
  servedApiId,
} from './read-domain-mappings.js';

const COMPILED_API = Symbol.for('apigw-express.compiledApi');

/**
 * The custom domains a definition declares for the API `gateway` serves, as `customDomains()`
 * takes them: SAM `Domain`, `AWS::ApiGateway::DomainName` with `BasePathMapping`s and
 * `AWS::ApiGatewayV2::ApiMapping`s, serverless-domain-manager's `customDomain(s)`. Mappings to
 * another API or stage are left out with a warning. Given an `httpApi()`, the mappings to that
 * HTTP API: SAM HttpApi `Domain`, `AWS::ApiGatewayV2::ApiMapping`, serverless-domain-manager's
 * `apiType: http`.
 * @example
 * const pets = apiGateway({ template: 'template.yaml' });
 * app.use(customDomains(await definitionDomainNames({ template: 'template.yaml' }, pets)));
 */
export async function definitionDomainNames(
  source: DomainDefinitionSource,
  gateway: ApiGatewayMiddleware | HttpApiMiddleware,
  logger: Logger = console,
): Promise<Record<string, CustomDomainName>> {
  if (isHttpApi(gateway)) return httpApiDefinitionDomainNames(source, gateway, logger);
  await gateway.ready;
  const compiled = (gateway as unknown as { [COMPILED_API]?: () => Promise<CompiledApi> })[COMPILED_API];
  const stageName = compiled === undefined ? undefined : (await compiled()).identity.stageName;
  const mappings = await readDomainMappings({ stageName, ...source });
  let restApiId: string | undefined;
  if (source.template !== undefined) {
    const template =
      typeof source.template === 'string'
        ? (parseTemplate(await readFile(path.resolve(source.template), 'utf8')) as Record<string, unknown>)
        : source.template;
    restApiId = servedApiId(template);
  }
  return definitionDomains(
    mappings,
    { restApiId, stages: new Map([[stageName ?? 'prod', gateway]]) },
    logger,
  );
}

/** The API a definition's import serves, one gateway per stage served (the first the default). */
export interface ServedApi {
  /** Its logical id in a template; absent for a serverless service. */
  restApiId?: string;
  stages: Map<string, ApiGatewayMiddleware>;
}

/**
 * A definition's mappings as `customDomains()` takes them: each to the gateway serving its stage
 * (its own stage), or, when the mapping names none, to the default stage's gateway with the stage
 * read from the path. Mappings to another API of the template, or to a stage not served, are left
 * out with a warning: nothing here serves them.
 */
export function definitionDomains(
  mappings: DomainMappingDefinition[],
  served: ServedApi,
  logger: Logger,
): Record<string, CustomDomainName> {
  const out: Record<string, CustomDomainName> = {};
  const [fallback] = served.stages.values();
  for (const mapping of mappings) {
    const key = mapping.basePath === '' ? '(none)' : mapping.basePath;
    if (
      mapping.restApiId !== undefined &&
      served.restApiId !== undefined &&
      mapping.restApiId !== served.restApiId
    ) {
      logger.warn(
        `apigw-express: ${mapping.where}: maps ${mapping.domainName}/${mapping.basePath} to ${mapping.restApiId}, not the API served (${served.restApiId}); left out`,
      );
      continue;
    }
    let target: ApiGatewayMiddleware | BasePathMapping | undefined;
    if (mapping.stage === undefined) target = fallback && { restApi: fallback };
    else target = served.stages.get(mapping.stage);
    if (target === undefined) {
      logger.warn(
        `apigw-express: ${mapping.where}: maps ${mapping.domainName}/${mapping.basePath} to stage ${mapping.stage}, which is not served; left out`,
      );
      continue;
    }
    out[mapping.domainName] ??= { mappings: {} };
    out[mapping.domainName].mappings[key] = target;
  }
  return out;
}

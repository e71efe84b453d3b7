import { readFile } from 'node:fs/promises';
import type { Logger } from '../config/types.js';
import { parseTemplate } from '../definitions/cloudformation/yaml-tags.js';
import { readServerlessFile } from '../definitions/serverless/read-serverless-file.js';
import type { ApiGatewayMiddleware } from '../gateway/middleware.js';
import { httpApiDomains, type ServedHttpApi } from '../http-api/domains/http-api-definition-domains.js';
import {
  type HttpApiDomainMapping,
  serverlessHttpApiMappings,
  templateHttpApiIds,
  templateHttpApiMappings,
} from '../http-api/domains/http-api-domain-mappings.js';
import { type CustomDomainName, type CustomDomainsHandler, customDomains } from './custom-domains.js';
import { definitionDomains } from './definition-domains.js';
import {
  type DomainMappingDefinition,
  servedApiId,
  serverlessMappings,
  templateMappings,
} from './read-domain-mappings.js';

/** What `serve` knows of the file it serves. */
export interface ServedDefinition {
  file: string;
  kind: 'module' | 'openapi' | 'template' | 'serverless';
  parameterOverrides?: Record<string, string>;
  stackName?: string;
  stageName?: string;
}

/**
 * The custom domains of the definition `serve` serves, for requests whose Host names one; the
 * rest keep the execute-api form. Undefined when it declares none (or is no template or service).
 * `httpApis` are the definition's HTTP APIs served beside the REST stages: their mappings too.
 */
export async function serveDomains(
  served: ServedDefinition,
  stages: Map<string, ApiGatewayMiddleware>,
  logger: Logger,
  httpApis: ServedHttpApi[] = [],
): Promise<{ handler: CustomDomainsHandler; domainNames: string[] } | undefined> {
  let mappings: DomainMappingDefinition[];
  let httpMappings: HttpApiDomainMapping[];
  let restApiId: string | undefined;
  if (served.kind === 'template') {
    const template = parseTemplate(await readFile(served.file, 'utf8')) as Record<string, unknown>;
    // Mappings to the template's HTTP APIs are theirs, not the REST API's.
    const httpIds = templateHttpApiIds(template);
    mappings = templateMappings(template, served).filter(
      (m) => m.restApiId === undefined || !httpIds.has(m.restApiId),
    );
    httpMappings = templateHttpApiMappings(template, served);
    restApiId = servedApiId(template);
  } else if (served.kind === 'serverless') {
    const document = await readServerlessFile(served.file);
    mappings = serverlessMappings(document, served);
    httpMappings = serverlessHttpApiMappings(document, served);
  } else return undefined;
  const domains = stages.size === 0 ? {} : definitionDomains(mappings, { restApiId, stages }, logger);
  mergeDomains(domains, httpApiDomains(httpMappings, httpApis, logger), logger);
  const domainNames = Object.keys(domains);
  if (domainNames.length === 0) return undefined;
  const handler = customDomains(domains);
  await handler.ready;
  return { handler, domainNames };
}

/** HTTP API mappings beside the REST ones: a domain may map both (AWS allows it), never one key twice. */
function mergeDomains(
  into: Record<string, CustomDomainName>,
  from: Record<string, CustomDomainName>,
  logger: Logger,
): void {
  for (const [domainName, { mappings }] of Object.entries(from)) {
    into[domainName] ??= { mappings: {} };
    const target = into[domainName];
    for (const [key, api] of Object.entries(mappings)) {
      if (target.mappings[key] !== undefined) {
        logger.warn(`apigw-express: ${domainName}/${key} is mapped twice; the first mapping is kept`);
        continue;
      }
      target.mappings[key] = api;
    }
  }
}

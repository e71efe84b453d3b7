import { readFile } from 'node:fs/promises';
import type { Logger } from '../config/types.js';
import { parseTemplate } from '../definitions/cloudformation/yaml-tags.js';
import { readServerlessFile } from '../definitions/serverless/read-serverless-file.js';
import type { ApiGatewayMiddleware } from '../gateway/middleware.js';
import { type CustomDomainsHandler, customDomains } from './custom-domains.js';
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
 */
export async function serveDomains(
  served: ServedDefinition,
  stages: Map<string, ApiGatewayMiddleware>,
  logger: Logger,
): Promise<{ handler: CustomDomainsHandler; domainNames: string[] } | undefined> {
  let mappings: DomainMappingDefinition[];
  let restApiId: string | undefined;
  if (served.kind === 'template') {
    const template = parseTemplate(await readFile(served.file, 'utf8')) as Record<string, unknown>;
    mappings = templateMappings(template, served);
    restApiId = servedApiId(template);
  } else if (served.kind === 'serverless') {
    const document = await readServerlessFile(served.file);
    mappings = serverlessMappings(document, served);
  } else return undefined;
  const domains = definitionDomains(mappings, { restApiId, stages }, logger);
  const domainNames = Object.keys(domains);
  if (domainNames.length === 0) return undefined;
  const handler = customDomains(domains);
  await handler.ready;
  return { handler, domainNames };
}

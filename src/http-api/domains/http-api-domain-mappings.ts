import { ConfigError } from '../../config/config-error.js';
import { IntrinsicResolver, type TemplateParts } from '../../definitions/cloudformation/intrinsics.js';
import { UNRESOLVED, VariableResolver } from '../../definitions/serverless/resolve-variables.js';
import {
  type DomainDefinitionSource,
  type DomainMappingDefinition,
  templateMappings,
} from '../../domains/read-domain-mappings.js';

/** One API mapping a definition declares for an HTTP API. */
export interface HttpApiDomainMapping {
  /** Lower-case, as DNS reads it. */
  domainName: string;
  /** `''` for the root, `v1`, `v1/orders`. */
  basePath: string;
  /** The HTTP API's logical id in a template; absent for a serverless service's own API. */
  apiId?: string;
  /** The stage mapped: an API mapping always names one. */
  stage: string;
  /** Where the definition declares it, for messages. */
  where: string;
}

type Source = Omit<DomainDefinitionSource, 'template' | 'serverless'>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** SAM's implicit HTTP API, made for `HttpApi` events without `ApiId`. */
const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

/** The logical ids of a template's HTTP APIs: SAM's (the implicit one too) and `ProtocolType: HTTP` ones. */
export function templateHttpApiIds(template: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  if (!isObject(template.Resources)) return ids;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (!isObject(r)) continue;
    if (r.Type === 'AWS::Serverless::HttpApi') ids.add(id);
    if (r.Type === 'AWS::ApiGatewayV2::Api' && isObject(r.Properties) && r.Properties.ProtocolType === 'HTTP')
      ids.add(id);
    if (r.Type === 'AWS::Serverless::Function' && isObject(r.Properties) && isObject(r.Properties.Events)) {
      for (const event of Object.values(r.Properties.Events)) {
        if (
          isObject(event) &&
          event.Type === 'HttpApi' &&
          !(isObject(event.Properties) && event.Properties.ApiId)
        )
          ids.add(IMPLICIT_HTTP_API);
      }
    }
  }
  return ids;
}

/**
 * The API mappings a template declares for its HTTP APIs: SAM's `Domain` on an
 * `AWS::Serverless::HttpApi` (or in `Globals.HttpApi`), and `AWS::ApiGatewayV2::ApiMapping`s whose
 * `ApiId` is an HTTP API of the template. Certificates, endpoint types, mutual TLS and Route 53
 * records are not read: nothing here terminates TLS.
 */
export function templateHttpApiMappings(
  template: Record<string, unknown>,
  source: Source = {},
): HttpApiDomainMapping[] {
  if (!isObject(template.Resources)) return [];
  const ids = templateHttpApiIds(template);
  const out: HttpApiDomainMapping[] = samDomains(template, ids, source);
  for (const mapping of templateMappings(template, source) as DomainMappingDefinition[]) {
    if (mapping.restApiId === undefined || !ids.has(mapping.restApiId) || mapping.stage === undefined)
      continue;
    out.push({
      domainName: mapping.domainName,
      basePath: mapping.basePath,
      apiId: mapping.restApiId,
      stage: mapping.stage,
      where: mapping.where,
    });
  }
  return out;
}

/**
 * SAM HttpApi `Domain`: one `ApiMapping` per `BasePath` to the API's stage; a BasePath with other
 * characters than letters, digits, `/`, `-` and `_` is refused and slashes at either end dropped;
 * none maps the root (samtranslator/model/api/http_api_generator.py, `_construct_basepath_mappings`).
 */
function samDomains(
  template: Record<string, unknown>,
  ids: Set<string>,
  source: Source,
): HttpApiDomainMapping[] {
  const parts = template as unknown as TemplateParts;
  const resolver = new IntrinsicResolver(
    parts,
    {
      ...(source.region !== undefined && { 'AWS::Region': source.region }),
      ...(source.accountId !== undefined && { 'AWS::AccountId': source.accountId }),
      ...source.parameterOverrides,
    },
    { [IMPLICIT_HTTP_API]: 'AWS::Serverless::HttpApi' },
    process.cwd(),
    {},
    { stackName: source.stackName },
  );
  const globals =
    isObject(template.Globals) && isObject(template.Globals.HttpApi) ? template.Globals.HttpApi : {};
  const resources = template.Resources as Record<
    string,
    { Type?: string; Properties?: unknown; Condition?: unknown }
  >;
  const out: HttpApiDomainMapping[] = [];
  for (const id of ids) {
    const r = resources[id];
    if (r !== undefined && r.Type !== 'AWS::Serverless::HttpApi') continue;
    if (r?.Condition !== undefined && !resolver.condition(String(r.Condition), `Resources.${id}.Condition`))
      continue;
    const own = (r === undefined ? {} : (r.Properties ?? {})) as Record<string, unknown>;
    const given = own.Domain ?? globals.Domain;
    if (given === undefined) continue;
    const where = own.Domain !== undefined ? `Resources.${id}.Properties.Domain` : 'Globals.HttpApi.Domain';
    const domain = resolver.resolve(given, where);
    if (!isObject(domain) || typeof domain.DomainName !== 'string')
      throw new ConfigError(`${where}.DomainName: missing`);
    const stageName = resolver.resolve(
      own.StageName ?? globals.StageName,
      `Resources.${id}.Properties.StageName`,
    );
    const stage = typeof stageName === 'string' ? stageName : '$default';
    const basePaths =
      domain.BasePath === undefined
        ? ['']
        : Array.isArray(domain.BasePath)
          ? domain.BasePath
          : [domain.BasePath];
    for (const basePath of basePaths) {
      if (typeof basePath !== 'string' || /[^0-9a-zA-Z/\-_]/.test(basePath))
        throw new ConfigError(`${where}.BasePath: ${JSON.stringify(basePath)} (letters, digits, /, - and _)`);
      out.push({
        domainName: domain.DomainName.toLowerCase(),
        basePath: basePath.replace(/^\/+|\/+$/g, ''),
        apiId: id,
        stage,
        where,
      });
    }
  }
  return out;
}

/**
 * serverless-domain-manager's HTTP API domains: `custom.customDomain` with `apiType: http`, and
 * `custom.customDomains` items keyed `http:` or with `apiType: http`. The plugin maps the
 * `$default` stage, the one serverless deploys HTTP APIs to, unless the item names a stage and a
 * base path (serverless-domain-manager `DomainConfig._getStage`).
 */
export function serverlessHttpApiMappings(
  document: Record<string, unknown>,
  source: Source = {},
  baseDir = process.cwd(),
): HttpApiDomainMapping[] {
  const resolver = new VariableResolver(document, { stage: source.stageName, env: process.env, baseDir });
  const single = resolver.get(['custom', 'customDomain']);
  const many = resolver.get(['custom', 'customDomains']);
  const entries: [unknown, string][] = [];
  if (single !== undefined && single !== UNRESOLVED) entries.push([single, 'custom.customDomain']);
  if (Array.isArray(many))
    for (const [i, item] of many.entries()) entries.push([item, `custom.customDomains[${i}]`]);
  const out: HttpApiDomainMapping[] = [];
  for (const [entry, at] of entries) {
    if (!isObject(entry)) continue;
    let config: Record<string, unknown> = entry;
    let where = at;
    if (isObject(entry.http)) {
      config = entry.http;
      where = `${at}.http`;
    } else if (String(entry.apiType ?? 'rest').toLowerCase() !== 'http') continue;
    if (config.enabled === false || config.enabled === 'false') continue;
    if (typeof config.domainName !== 'string') throw new ConfigError(`${where}.domainName: missing`);
    const trimmed = String(config.basePath ?? '').replace(/^\/+|\/+$/g, '');
    const basePath = trimmed === '(none)' ? '' : trimmed;
    out.push({
      domainName: config.domainName.toLowerCase(),
      basePath,
      stage: basePath === '' || typeof config.stage !== 'string' ? '$default' : config.stage,
      where,
    });
  }
  return out;
}

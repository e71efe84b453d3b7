import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { IntrinsicResolver, type TemplateParts } from '../definitions/cloudformation/intrinsics.js';
import { parseTemplate } from '../definitions/cloudformation/yaml-tags.js';
import { readServerlessFile } from '../definitions/serverless/read-serverless-file.js';
import { UNRESOLVED, VariableResolver } from '../definitions/serverless/resolve-variables.js';

/** One base path mapping a definition declares, its intrinsic functions and variables resolved. */
export interface DomainMappingDefinition {
  /** Lower-case, as DNS reads it. */
  domainName: string;
  /** `''` for the root, `v1`, `v1/orders`. */
  basePath: string;
  /** The REST API's logical id in a template; absent for a serverless service's own API. */
  restApiId?: string;
  /** Absent: the caller names the stage after the base path. */
  stage?: string;
  /** Where the definition declares it, for messages. */
  where: string;
}

/** What reading a definition's domains is told: the same fields `apiGateway()` takes for it. */
export interface DomainDefinitionSource {
  template?: string | Record<string, unknown>;
  serverless?: string | Record<string, unknown>;
  parameterOverrides?: Record<string, string>;
  stackName?: string;
  stageName?: string;
  region?: string;
  accountId?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const DOMAIN_TYPES = new Set(['AWS::ApiGateway::DomainName', 'AWS::ApiGatewayV2::DomainName']);
const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi']);

/**
 * The custom domains a SAM/CloudFormation template or a serverless.yml declares: SAM's `Domain`
 * on an `AWS::Serverless::Api`, `AWS::ApiGateway::BasePathMapping` and `AWS::ApiGatewayV2::ApiMapping`
 * (multi-level keys) on a `DomainName`, the serverless-domain-manager plugin's `custom.customDomain`
 * and `custom.customDomains` (REST ones). Certificates, endpoint types and Route 53 records are
 * not read: nothing here terminates TLS.
 */
export async function readDomainMappings(
  source: DomainDefinitionSource,
  baseDir = process.cwd(),
): Promise<DomainMappingDefinition[]> {
  if (source.template !== undefined) {
    const template =
      typeof source.template === 'string'
        ? (parseTemplate(await readFile(path.resolve(baseDir, source.template), 'utf8')) as Record<
            string,
            unknown
          >)
        : source.template;
    return templateMappings(template, source);
  }
  if (source.serverless !== undefined) {
    const document =
      typeof source.serverless === 'string'
        ? await readServerlessFile(path.resolve(baseDir, source.serverless))
        : source.serverless;
    return serverlessMappings(document, source, baseDir);
  }
  return [];
}

/** The REST API a template's import serves: its first RestApi or Serverless::Api, else SAM's implicit one. */
export function servedApiId(template: Record<string, unknown>): string {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const first = Object.entries(resources).find(([, r]) => isObject(r) && API_TYPES.has(String(r.Type)));
  return first === undefined ? 'ServerlessRestApi' : first[0];
}

export function templateMappings(
  template: Record<string, unknown>,
  source: Omit<DomainDefinitionSource, 'template' | 'serverless'> = {},
): DomainMappingDefinition[] {
  if (!isObject(template.Resources)) return [];
  const parts = template as unknown as TemplateParts;
  const resolver = new IntrinsicResolver(
    parts,
    {
      ...(source.region !== undefined && { 'AWS::Region': source.region }),
      ...(source.accountId !== undefined && { 'AWS::AccountId': source.accountId }),
      ...source.parameterOverrides,
    },
    { ServerlessRestApi: 'AWS::Serverless::Api' },
    process.cwd(),
    {},
    { stackName: source.stackName },
  );
  const resources = Object.entries(parts.Resources).filter(
    ([id, r]) =>
      isObject(r) &&
      (r.Condition === undefined || resolver.condition(r.Condition, `Resources.${id}.Condition`)),
  );
  const props = (id: string, r: { Properties?: unknown }) =>
    (resolver.resolve(r.Properties ?? {}, `Resources.${id}.Properties`) ?? {}) as Record<string, unknown>;
  // A mapping's `DomainName: !Ref MyDomain` resolves to the logical id: read the domain's own name.
  const domainNames = new Map<string, string>();
  for (const [id, r] of resources) {
    if (DOMAIN_TYPES.has(r.Type)) domainNames.set(id, String(props(id, r).DomainName ?? id).toLowerCase());
  }
  const stageOf = new Map<string, string>();
  // `Stage: !Ref ProdStage` resolves to the Stage resource's logical id: read its StageName.
  const stageNames = new Map<string, string>();
  for (const [id, r] of resources) {
    if (r.Type === 'AWS::ApiGateway::Stage' || r.Type === 'AWS::ApiGatewayV2::Stage') {
      const name = props(id, r).StageName;
      if (typeof name === 'string') stageNames.set(id, name);
    }
  }
  const out: DomainMappingDefinition[] = [];
  for (const [id, r] of resources) {
    // `!Ref MyHttpApi.Stage` names an HTTP API's stage, `$default` unless it has StageName.
    if (r.Type === 'AWS::Serverless::HttpApi') {
      const name = props(id, r).StageName;
      stageOf.set(id, typeof name === 'string' ? name : '$default');
    }
    if (r.Type !== 'AWS::Serverless::Api') continue;
    const p = props(id, r);
    if (typeof p.StageName === 'string') stageOf.set(id, p.StageName);
    if (!isObject(p.Domain)) continue;
    const where = `Resources.${id}.Properties.Domain`;
    if (typeof p.Domain.DomainName !== 'string') throw new ConfigError(`${where}.DomainName: missing`);
    const given = p.Domain.BasePath;
    const list = typeof given === 'string' ? [given] : Array.isArray(given) ? given.map(String) : [''];
    for (const basePath of list) {
      out.push({
        domainName: p.Domain.DomainName.toLowerCase(),
        // SAM keeps only letters and digits of each BasePath (NormalizeBasePath, default true).
        basePath:
          p.Domain.NormalizeBasePath === false || p.Domain.NormalizeBasePath === 'false'
            ? basePath.replace(/^\/+|\/+$/g, '')
            : basePath.replace(/[^A-Za-z0-9]/g, ''),
        restApiId: id,
        stage: typeof p.StageName === 'string' ? p.StageName : undefined,
        where,
      });
    }
  }
  for (const [id, r] of resources) {
    const v1 = r.Type === 'AWS::ApiGateway::BasePathMapping';
    if (!v1 && r.Type !== 'AWS::ApiGatewayV2::ApiMapping') continue;
    const where = `Resources.${id}.Properties`;
    // `Stage: !Ref MyApi.Stage` is SAM's name for the API's own stage.
    const raw = (r.Properties ?? {}) as Record<string, unknown>;
    const stageRef = isObject(raw.Stage) && typeof raw.Stage.Ref === 'string' ? raw.Stage.Ref : undefined;
    const p = stageRef?.endsWith('.Stage')
      ? props(id, { Properties: { ...raw, Stage: undefined } })
      : props(id, r);
    const domain = String(p.DomainName ?? '');
    const basePath = String((v1 ? p.BasePath : p.ApiMappingKey) ?? '').replace(/^\/+/, '');
    if (v1 && basePath.includes('/')) {
      // AWS: a BasePathMapping is one level; several take an ApiGatewayV2::ApiMapping.
      throw new ConfigError(
        `${where}.BasePath: '${basePath}' has several levels; use AWS::ApiGatewayV2::ApiMapping`,
      );
    }
    const api = String((v1 ? p.RestApiId : p.ApiId) ?? '');
    let stage =
      typeof p.Stage === 'string' && p.Stage !== '' ? (stageNames.get(p.Stage) ?? p.Stage) : undefined;
    if (stageRef?.endsWith('.Stage')) stage = stageOf.get(stageRef.slice(0, -'.Stage'.length));
    if (!v1 && stage === undefined)
      throw new ConfigError(`${where}.Stage: missing (an ApiMapping names its stage)`);
    out.push({
      domainName: domainNames.get(domain) ?? domain.toLowerCase(),
      basePath: basePath === '(none)' ? '' : basePath,
      restApiId: api,
      ...(stage !== undefined && { stage }),
      where,
    });
  }
  return out;
}

export function serverlessMappings(
  document: Record<string, unknown>,
  source: Omit<DomainDefinitionSource, 'template' | 'serverless'> = {},
  baseDir = process.cwd(),
): DomainMappingDefinition[] {
  const resolver = new VariableResolver(document, { stage: source.stageName, env: process.env, baseDir });
  const stage = resolver.stage();
  const single = resolver.get(['custom', 'customDomain']);
  const many = resolver.get(['custom', 'customDomains']);
  const entries: [unknown, string][] = [];
  if (single !== undefined && single !== UNRESOLVED) entries.push([single, 'custom.customDomain']);
  if (Array.isArray(many)) {
    for (const [i, item] of many.entries()) entries.push([item, `custom.customDomains[${i}]`]);
  }
  const out: DomainMappingDefinition[] = [];
  for (const [entry, at] of entries) {
    if (!isObject(entry)) continue;
    // `customDomains` items may be keyed by API type: `- rest: {…}`, `- http: {…}`.
    let config: Record<string, unknown> = entry;
    let where = at;
    let apiType = entry.apiType;
    for (const key of ['rest', 'http', 'websocket']) {
      if (isObject(entry[key])) {
        config = entry[key] as Record<string, unknown>;
        where = `${at}.${key}`;
        apiType = key;
      }
    }
    if (String(apiType ?? 'rest').toLowerCase() !== 'rest') continue;
    if (config.enabled === false || config.enabled === 'false') continue;
    if (typeof config.domainName !== 'string') throw new ConfigError(`${where}.domainName: missing`);
    const basePath = String(config.basePath ?? '').replace(/^\/+|\/+$/g, '');
    out.push({
      domainName: config.domainName.toLowerCase(),
      basePath: basePath === '(none)' ? '' : basePath,
      // The plugin maps the stage deployed unless it names one.
      stage: typeof config.stage === 'string' ? config.stage : stage,
      where,
    });
  }
  return out;
}

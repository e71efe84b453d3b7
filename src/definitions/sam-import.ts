import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedOptions } from '../config/types.js';
import type { ApiParts } from './cloudformation/api-parts.js';
import {
  CfnApiGateway,
  gatewayResponsesFor,
  translateRestApi,
  usagePlansFor,
} from './cloudformation/cfn-apigateway.js';
import { IntrinsicResolver, type TemplateParts, type TemplateResource } from './cloudformation/intrinsics.js';
import { readFunctions } from './cloudformation/lambda-functions.js';
import { collectApiEvents, IMPLICIT_API, translateSamApi } from './cloudformation/sam-api.js';
import { checkSamResources, SAM_TRANSFORM } from './cloudformation/sam-resources.js';
import { parseTemplate } from './cloudformation/yaml-tags.js';
import { httpApiNote } from './http-api-note.js';
import type { ImportContext, ImportedApi } from './import-context.js';
import { nothingToServe } from './nothing-to-serve.js';
import { importOpenApi } from './openapi-import.js';
import type { UnenforcedGuard } from './unenforced-guards.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A SAM or CloudFormation template (`cdk synth` output included) → our options: one REST API —
 * an `AWS::Serverless::Api`, SAM's implicit API, or an `AWS::ApiGateway::RestApi` with its
 * resources — served as `ctx.stageName` or the template's stage, with the template's Lambda
 * functions keyed by logical id. Intrinsic functions resolve with `Parameters` defaults under
 * `ctx.parameterOverrides` (pseudo parameters too: `AWS::Region`, `AWS::AccountId`…).
 * @example
 * await importSam('./template.yaml', { baseDir: '.', stageName: 'Prod', logger: console })
 */
export async function importSam(
  source: string | Record<string, unknown>,
  ctx: ImportContext,
): Promise<ImportedApi> {
  const template =
    typeof source === 'string'
      ? await readTemplate(path.resolve(ctx.baseDir, path.basename(source)))
      : source;
  if (!isObject(template) || !isObject(template.Resources)) {
    throw new ConfigError('template: no Resources section (not a SAM or CloudFormation template)');
  }
  const parts = template as unknown as TemplateParts & {
    Globals?: Record<string, unknown>;
    Transform?: unknown;
  };
  const transforms = Array.isArray(parts.Transform) ? parts.Transform : [parts.Transform];
  const isSam = transforms.includes(SAM_TRANSFORM);
  checkSamResources(parts.Resources, isSam);
  const globals = isSam && isObject(parts.Globals) ? parts.Globals : {};
  checkParameterOverrides(parts.Parameters, ctx.parameterOverrides);
  const unsupported: string[] = [];
  const guards: UnenforcedGuard[] = [];
  const resolver = new IntrinsicResolver(
    parts,
    {
      ...(ctx.region !== undefined && { 'AWS::Region': ctx.region }),
      ...(ctx.accountId !== undefined && { 'AWS::AccountId': ctx.accountId }),
      ...ctx.parameterOverrides,
    },
    isSam ? { [IMPLICIT_API]: 'AWS::Serverless::Api' } : {},
    ctx.baseDir,
    ctx.importValues,
    { stackName: ctx.stackName },
  );
  // A resource whose Condition is false is not created.
  const resources: Record<string, TemplateResource> = Object.fromEntries(
    Object.entries(parts.Resources).filter(
      ([id, resource]) =>
        resource.Condition === undefined ||
        resolver.condition(resource.Condition, `Resources.${id}.Condition`),
    ),
  );
  for (const [id, resource] of Object.entries(resources)) {
    if (typeof resource?.Type !== 'string') throw new ConfigError(`Resources.${id}.Type: missing`);
    if (resource.Type === 'AWS::Serverless::HttpApi')
      unsupported.push(httpApiNote(`${id}: AWS::Serverless::HttpApi`));
  }

  const functions = readFunctions(
    resources,
    isObject(globals.Function) ? globals.Function : undefined,
    resolver,
    ctx.baseDir,
    unsupported,
  );
  // An environment value CloudFormation would resolve but this cannot is passed as its logical id,
  // with a warning naming it: refusing the API for a variable its routes may never read would
  // stop apps from being served at all.
  if (resolver.standIns.length > 0) {
    ctx.logger.warn(
      `apigw-express: template: function environments: ${resolver.standIns.join('; ')} (a stand-in; give the real value in the functions option)`,
    );
  }
  const events = isSam ? collectApiEvents(resources, resolver, unsupported) : new Map();
  const cfn = new CfnApiGateway(resources, resolver);
  unsupported.push(...cfn.unsupportedTypes());

  const importBody = async (document: Record<string, unknown> | string, where: string) => {
    const body =
      typeof document === 'string'
        ? await readTemplate(path.resolve(ctx.baseDir, document), where)
        : document;
    try {
      const imported = await importOpenApi(body as Record<string, unknown>, ctx);
      unsupported.push(...imported.unsupported.map((item) => `${where}: ${item}`));
      guards.push(...imported.unenforcedGuards.map((g) => ({ ...g, guard: `${where}: ${g.guard}` })));
      return imported.options;
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`${where}: ${error.message}`);
      throw error;
    }
  };

  const apis = [
    ...Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Serverless::Api' || r.Type === 'AWS::ApiGateway::RestApi')
      .map(([id]) => id),
    ...(events.has(IMPLICIT_API) ? [IMPLICIT_API] : []),
  ];
  const chosen = apis[0];
  if (chosen === undefined) {
    throw nothingToServe(
      'template',
      'no REST API in it (an AWS::Serverless::Api, a function with an Api event, or an AWS::ApiGateway::RestApi)',
      describeResources(resources),
      unsupported,
    );
  }
  if (apis.length > 1)
    unsupported.push(`more than one REST API: serving ${chosen}, leaving out ${apis.slice(1).join(', ')}`);
  for (const [api] of events) {
    if (!apis.includes(api))
      throw new ConfigError(`Api events: RestApiId "${api}" is no AWS::Serverless::Api of the template`);
  }

  const resource = resources[chosen];
  let api: ApiParts;
  if (resource?.Type === 'AWS::ApiGateway::RestApi') {
    const where = `Resources.${chosen}.Properties`;
    const props = resolver.resolve(resource.Properties ?? {}, where) as Record<string, unknown>;
    let body: Partial<ResolvedOptions> | undefined;
    if (props.Body !== undefined)
      body = await importBody(props.Body as Record<string, unknown>, `${where}.Body`);
    else if (props.BodyS3Location !== undefined) {
      body = await importBody(
        bodyOnDisk(resource, props.BodyS3Location, ctx.baseDir, `${where}.BodyS3Location`),
        `${where}.BodyS3Location`,
      );
    }
    api = await translateRestApi(cfn, chosen, props, body, unsupported, guards);
  } else {
    api = await translateSamApi({
      logicalId: chosen,
      resource,
      globals: isObject(globals.Api) ? globals.Api : undefined,
      events: events.get(chosen) ?? [],
      resolver,
      unsupported,
      guards,
      importBody,
    });
    Object.assign(api, gatewayResponsesFor(cfn, chosen, api.gatewayResponses));
  }

  const [firstStage] = api.stages.keys();
  const stageName = ctx.stageName ?? firstStage ?? 'prod';
  const stage =
    api.stages.get(stageName) ?? (api.stages.size === 1 ? api.stages.get(firstStage as string) : undefined);
  const usage = usagePlansFor(cfn, chosen, stageName);
  const { logicalId: _id, stages: _stages, ...options } = api;
  const resolved: ResolvedOptions = { ...options, ...stage, stageName, functions };
  // SAM writes its policy statements on `execute-api:/{StageName}/…`: a template stage served
  // under another name keeps them, or a blacklist written for it would match nothing here.
  if (
    resource?.Type !== 'AWS::ApiGateway::RestApi' &&
    firstStage !== undefined &&
    !api.stages.has(stageName)
  ) {
    resolved.resourcePolicy = renameStage(resolved.resourcePolicy, firstStage, stageName);
  }
  if (usage.apiKeys) resolved.apiKeys = [...(resolved.apiKeys ?? []), ...usage.apiKeys];
  if (usage.usagePlans) resolved.usagePlans = [...(resolved.usagePlans ?? []), ...usage.usagePlans];
  const stages = [stageName, ...[...api.stages.keys()].filter((name) => name !== stageName)];
  return {
    options: dropUndefined(resolved),
    unsupported,
    unenforcedGuards: guards,
    found: describeResources(resources),
    stages,
  };
}

/** Each resource as `Id (Type)`; a function with the types of its events. */
function describeResources(resources: Record<string, TemplateResource>): string[] {
  return Object.entries(resources).map(([id, resource]) => {
    const events = resource.Properties?.Events;
    if (resource.Type !== 'AWS::Serverless::Function') return `${id} (${resource.Type})`;
    const types = isObject(events)
      ? Object.entries(events).map(([name, e]) => `${name}: ${isObject(e) ? String(e.Type) : '?'}`)
      : [];
    return `${id} (${resource.Type}, ${types.length > 0 ? `events ${types.join(', ')}` : 'no Events'})`;
  });
}

/**
 * CloudFormation refuses a value for a parameter the template does not declare, in these words
 * (CreateStack/CreateChangeSet ValidationError); pseudo parameters (`AWS::Region`…) may be set here.
 */
function checkParameterOverrides(declared: unknown, overrides: Record<string, string> = {}): void {
  const unknown = Object.keys(overrides).filter(
    (name) => !name.startsWith('AWS::') && !(isObject(declared) && Object.hasOwn(declared, name)),
  );
  if (unknown.length === 0) return;
  if (!isObject(declared) || Object.keys(declared).length === 0) {
    throw new ConfigError(
      `parameterOverrides: Parameter values specified for a template which does not require them. (${unknown.join(', ')})`,
    );
  }
  throw new ConfigError(
    `parameterOverrides: Parameters: [${unknown.join(', ')}] do not exist in the template`,
  );
}

/** The template's text, YAML or JSON, parsed; a missing or broken file is a ConfigError naming it. */
async function readTemplate(file: string, where = 'template'): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`${where}: cannot read ${file}: ${reason}`);
  }
  try {
    const parsed = parseTemplate(text);
    if (!isObject(parsed)) throw new Error('not a YAML or JSON object');
    return parsed;
  } catch (error) {
    throw new ConfigError(`${where}: ${file} is not valid YAML or JSON: ${(error as Error).message}`);
  }
}

/** `BodyS3Location` read from disk: a CDK asset (`Metadata["aws:asset:path"]`), or a local `Key`. */
function bodyOnDisk(resource: TemplateResource, location: unknown, baseDir: string, where: string): string {
  const asset = resource.Metadata?.['aws:asset:path'];
  if (typeof asset === 'string') return path.resolve(baseDir, asset);
  if (isObject(location) && typeof location.Key === 'string') return path.resolve(baseDir, location.Key);
  throw new ConfigError(
    `${where}: give Key as a path under the template's folder, or the asset's aws:asset:path`,
  );
}

function dropUndefined(options: ResolvedOptions): ResolvedOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ResolvedOptions;
}

/** A policy document's `execute-api:/{from}/…` resources as `execute-api:/{to}/…`. */
function renameStage<T>(policy: T, from: string, to: string): T {
  if (!isObject(policy) || policy.Statement === undefined) return policy;
  const prefix = `execute-api:/${from}/`;
  const rename = (r: unknown) =>
    typeof r === 'string' && r.startsWith(prefix) ? `execute-api:/${to}/${r.slice(prefix.length)}` : r;
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]).map((st) => {
    if (!isObject(st)) return st;
    const out: Record<string, unknown> = { ...st };
    for (const field of ['Resource', 'NotResource']) {
      const value = st[field];
      if (value !== undefined) out[field] = Array.isArray(value) ? value.map(rename) : rename(value);
    }
    return out;
  });
  return { ...policy, Statement: statements } as T;
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { FunctionDefinition } from '../../config/types.js';
import { IntrinsicResolver, type TemplateResource } from '../../definitions/cloudformation/intrinsics.js';
import { readFunctions } from '../../definitions/cloudformation/lambda-functions.js';
import { SAM_TRANSFORM } from '../../definitions/cloudformation/sam-resources.js';
import { parseTemplate } from '../../definitions/cloudformation/yaml-tags.js';
import { functionNameOf } from '../../definitions/openapi/lambda-uri.js';
import { readServerlessFile } from '../../definitions/serverless/read-serverless-file.js';
import { VariableResolver } from '../../definitions/serverless/resolve-variables.js';
import { locate } from '../../definitions/source-file.js';
import type { HttpCorsConfiguration } from '../cors.js';
import { serverlessHttpApiLogs } from '../logs/access-log-setting.js';
import type { HttpApiOpenApiImport } from '../openapi/import-http-api-openapi.js';
import { readHttpApiBody } from '../openapi/load-http-api-openapi.js';
import type { HttpAuthorizer, HttpRoute } from '../types.js';
import type { DefinedHttpApi } from './defined-http-api.js';
import type { ProblemSources } from './place-problems.js';
import {
  cfnRouteAuth,
  readCfnAuthorizer,
  readSamHttpAuth,
  readServerlessAuthorizers,
  type SamHttpAuth,
  samRouteAuth,
  serverlessRouteAuth,
} from './read-http-authorizers.js';
import { readCfnCors, readServerlessCors } from './read-http-cors.js';
import { addRouteSettings, type HttpStageSettings, readStageSettings } from './read-http-stage.js';

export interface HttpApiDefinitionContext {
  /** A stage to serve instead of the definition's. */
  stageName?: string;
  parameterOverrides?: Record<string, string>;
  region?: string;
  accountId?: string;
  /** `AWS::StackName` (default `local`, as `sam local`). */
  stackName?: string;
  /** `Fn::ImportValue` export name → value. */
  importValues?: Record<string, string>;
  /** Parts of the definition read but not served yet (OpenAPI bodies, access logs…) are named here. */
  unsupported?: string[];
}

/** The options a stage's settings give, each read where the stage is declared. */
const STAGE_OPTIONS = ['stageName', 'stageVariables', 'throttle', 'routeSettings', 'accessLogSettings'];

/** SAM adds this resource for `HttpApi` events without `ApiId` (SAM docs, HttpApi event "ApiId"). */
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTrue = (v: unknown): boolean => v === true || v === 'true';

/**
 * The HTTP APIs (v2) of a SAM/CloudFormation template or a serverless.yml, as `httpApi()`
 * options: routes, functions (a `Handler` under its code folder), payload format, stage.
 * A definition with REST APIs only gives `[]`.
 * @example
 * const [api] = await loadHttpApiDefinitions({ template: './template.yaml' });
 */
export async function loadHttpApiDefinitions(
  source: { template?: string | Record<string, unknown>; serverless?: string | Record<string, unknown> },
  ctx: HttpApiDefinitionContext = {},
): Promise<DefinedHttpApi[]> {
  if (source.template !== undefined && source.serverless !== undefined)
    throw new ConfigError('template, serverless: give one definition, not several');
  if (source.template !== undefined) return fromTemplate(source.template, ctx);
  if (source.serverless !== undefined) return fromServerless(source.serverless, ctx);
  throw new ConfigError('httpApi(): give routes, a template or a serverless definition');
}

const DEFINITION_SOURCES = new WeakMap<object, ProblemSources>();

/** Where `loadHttpApiDefinition`'s options were read in the definition, for its startup errors. */
export function sourcesOf(options: object): ProblemSources | undefined {
  return DEFINITION_SOURCES.get(options);
}

/** The first HTTP API a definition declares, as `httpApi()` options; more than one is named in `unsupported`. */
export async function loadHttpApiDefinition(
  source: { template?: string | Record<string, unknown>; serverless?: string | Record<string, unknown> },
  ctx: HttpApiDefinitionContext = {},
): Promise<DefinedHttpApi['options']> {
  const apis = await loadHttpApiDefinitions(source, ctx);
  const [first] = apis;
  const key = source.template !== undefined ? 'template' : 'serverless';
  if (first === undefined) throw new ConfigError(`${key}: no HTTP API in it`);
  if (first.sources !== undefined) DEFINITION_SOURCES.set(first.options, first.sources);
  if (apis.length > 1)
    ctx.unsupported?.push(
      `more than one HTTP API: serving ${first.name}, leaving out ${apis
        .slice(1)
        .map((a) => a.name)
        .join(', ')}`,
    );
  return first.options;
}

async function readDocument(file: string, where: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${where}: cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = parseTemplate(text);
  if (!isObject(parsed)) throw new ConfigError(`${where}: ${file} is not a YAML or JSON object`);
  return parsed;
}

/** `GET /pets` from SAM's `Method` and `Path`; `ANY` for `any`/`x-amazon-apigateway-any-method`. */
function samRouteKey(method: unknown, routePath: unknown): string {
  // Neither Path nor Method: the default route, for every request no other route takes
  // (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-httpapi.html).
  if (routePath === undefined || routePath === '/$default' || routePath === '$default') return '$default';
  const verb =
    method === undefined || /^(any|x-amazon-apigateway-any-method)$/i.test(String(method))
      ? 'ANY'
      : String(method).toUpperCase();
  return `${verb} ${String(routePath)}`;
}

type RouteGuard = Pick<HttpRoute, 'authorizer' | 'authorizationType' | 'authorizationScopes'>;

const sameGuard = (a: RouteGuard, b: RouteGuard): boolean =>
  a.authorizer === b.authorizer &&
  a.authorizationType === b.authorizationType &&
  JSON.stringify(a.authorizationScopes ?? []) === JSON.stringify(b.authorizationScopes ?? []);

/**
 * A SAM event on an operation its API's DefinitionBody declares without an integration keeps the
 * document's `security` (samtranslator open_api.py: the DefaultAuthorizer skips operations with
 * security; an event's `Auth.Authorizer` is appended as a second requirement, which an HTTP API refuses).
 */
function bodyGuard(
  body: HttpApiOpenApiImport | undefined,
  routeKey: string,
  eventAuth: unknown,
  where: string,
): RouteGuard | undefined {
  const guard = body?.guardsWithoutIntegration[routeKey];
  if (guard === undefined) return undefined;
  if (guard instanceof ConfigError) throw guard;
  // open_api.py add_auth_to_method: only an `Auth.Authorizer` adds a requirement.
  if (eventAuth !== undefined && !(isObject(eventAuth) && eventAuth.Authorizer === undefined))
    throw new ConfigError(
      `${where}.Auth: the API's DefinitionBody already guards "${routeKey}" (one security requirement per operation)`,
    );
  return guard;
}

/**
 * A SAM event on a route its API's DefinitionBody already integrates (samtranslator open_api.py
 * add_lambda_integration): the body's integration stays; the event's `Auth.Authorizer`, if any, is
 * appended to the operation's security, so it guards an operation without one and makes a second,
 * refused, requirement on one that has. Undefined: the event adds no guard.
 */
function eventAuthOnBodyRoute(
  api: SamHttpAuth,
  integrated: HttpRoute,
  eventAuth: unknown,
  routeKey: string,
  where: string,
): RouteGuard | undefined {
  if (eventAuth === undefined || (isObject(eventAuth) && eventAuth.Authorizer === undefined))
    return undefined;
  if (integrated.authorizer !== undefined || integrated.authorizationType !== undefined)
    throw new ConfigError(
      `${where}.Auth: the API's DefinitionBody already guards "${routeKey}" (one security requirement per operation)`,
    );
  return samRouteAuth(api, eventAuth, routeKey, `${where}.Auth`);
}

interface ApiBuild {
  routes: Record<string, HttpRoute>;
  sources: ProblemSources;
  stages: Map<string, HttpStageSettings>;
  authorizers: Record<string, HttpAuthorizer>;
  cors?: HttpCorsConfiguration;
  /** `DisableExecuteApiEndpoint` (SAM and CloudFormation): only custom domains serve it. */
  disableExecuteApiEndpoint?: boolean;
}

/** SAM Globals: maps merge key by key, anything else the resource's own value wins. */
function mergeGlobals(globals: unknown, own: Record<string, unknown>): Record<string, unknown> {
  if (!isObject(globals)) return own;
  const out: Record<string, unknown> = { ...globals };
  for (const [key, value] of Object.entries(own))
    out[key] = isObject(value) && isObject(out[key]) ? mergeGlobals(out[key], value) : value;
  return out;
}

async function fromTemplate(
  source: string | Record<string, unknown>,
  ctx: HttpApiDefinitionContext,
): Promise<DefinedHttpApi[]> {
  const { baseDir } = locate(source);
  const template = typeof source === 'string' ? await readDocument(path.resolve(source), 'template') : source;
  if (!isObject(template.Resources)) throw new ConfigError('template: no Resources section');
  const transforms = Array.isArray(template.Transform) ? template.Transform : [template.Transform];
  const isSam = transforms.includes(SAM_TRANSFORM);
  const unsupported = ctx.unsupported ?? [];
  const resolver = new IntrinsicResolver(
    template as never,
    {
      ...(ctx.region !== undefined && { 'AWS::Region': ctx.region }),
      ...(ctx.accountId !== undefined && { 'AWS::AccountId': ctx.accountId }),
      ...ctx.parameterOverrides,
    },
    isSam ? { [IMPLICIT_HTTP_API]: 'AWS::Serverless::HttpApi' } : {},
    baseDir,
    ctx.importValues,
    { stackName: ctx.stackName },
  );
  const resources = Object.fromEntries(
    Object.entries(template.Resources as Record<string, TemplateResource>).filter(
      ([id, r]) => r.Condition === undefined || resolver.condition(r.Condition, `Resources.${id}.Condition`),
    ),
  );
  const globals = isSam && isObject(template.Globals) ? template.Globals : {};
  const apis = new Map<string, ApiBuild>();
  // OpenAPI bodies (DefinitionBody, Body…): their routes, authorizers and CORS.
  const bodies = new Map<string, HttpApiOpenApiImport>();
  const api = (id: string) => {
    let build = apis.get(id);
    if (build === undefined) {
      build = { routes: {}, stages: new Map(), authorizers: {}, sources: {} };
      apis.set(id, build);
    }
    return build;
  };
  const props = (id: string) =>
    resolver.resolve(resources[id]?.Properties ?? {}, `Resources.${id}.Properties`) as Record<
      string,
      unknown
    >;

  // SAM: AWS::Serverless::HttpApi (over Globals.HttpApi) and functions' HttpApi events.
  const samAuth = new Map<string, SamHttpAuth>();
  // Events on routes their API's DefinitionBody integrates: the guard each event adds, by API.
  const eventsOnBody = new Map<string, Map<string, RouteGuard | undefined>>();
  const samApi = (id: string, p: Record<string, unknown>, where: string) => {
    const build = api(id);
    // SAM HttpApi StageName: default `$default`.
    build.stages.set(typeof p.StageName === 'string' ? p.StageName : '$default', readStageSettings(p, where));
    samAuth.set(id, readSamHttpAuth(p.Auth, `${where}.Auth`));
    build.authorizers = samAuth.get(id)?.authorizers ?? {};
    for (const name of Object.keys(build.authorizers))
      build.sources[`authorizers["${name}"]`] = `${where}.Auth.Authorizers.${name}`;
    build.cors = readCfnCors(p.CorsConfiguration, `${where}.CorsConfiguration`, true);
    build.sources.cors = `${where}.CorsConfiguration`;
    for (const key of STAGE_OPTIONS) build.sources[key] = where;
  };
  const globalApi = isObject(globals.HttpApi)
    ? (resolver.resolve(globals.HttpApi, 'Globals.HttpApi') as Record<string, unknown>)
    : {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Serverless::HttpApi') continue;
    const p = mergeGlobals(globalApi, props(id));
    samApi(id, p, `Resources.${id}.Properties`);
    const body = await readHttpApiBody(
      'sam',
      p,
      `Resources.${id}.Properties`,
      baseDir,
      unsupported,
      resource.Metadata,
    );
    if (body !== undefined) bodies.set(id, body);
    if (isTrue(p.DisableExecuteApiEndpoint)) api(id).disableExecuteApiEndpoint = true;
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Serverless::Function' || !isObject(resource.Properties?.Events)) continue;
    for (const [name, event] of Object.entries(resource.Properties.Events)) {
      if (!isObject(event) || event.Type !== 'HttpApi') continue;
      const where = `Resources.${id}.Properties.Events.${name}.Properties`;
      const p = isObject(event.Properties)
        ? (resolver.resolve(event.Properties, where) as Record<string, unknown>)
        : {};
      const apiId = p.ApiId === undefined ? IMPLICIT_HTTP_API : String(p.ApiId);
      if (apiId !== IMPLICIT_HTTP_API && resources[apiId]?.Type !== 'AWS::Serverless::HttpApi')
        throw new ConfigError(`${where}.ApiId: "${apiId}" is no AWS::Serverless::HttpApi of the template`);
      // The implicit API takes Globals.HttpApi as its properties.
      if (apiId === IMPLICIT_HTTP_API && !samAuth.has(apiId)) samApi(apiId, globalApi, 'Globals.HttpApi');
      const build = api(apiId);
      // SAM HttpApi event: PayloadFormatVersion defaults to 2.0.
      const version = p.PayloadFormatVersion ?? '2.0';
      const routeKey = samRouteKey(p.Method, p.Path);
      const onBody = eventsOnBody.get(apiId) ?? new Map<string, RouteGuard | undefined>();
      eventsOnBody.set(apiId, onBody);
      if (build.routes[routeKey] !== undefined || onBody.has(routeKey))
        throw new ConfigError(`${where}: route "${routeKey}" is declared twice`);
      const integrated = bodies.get(apiId)?.options.routes?.[routeKey];
      if (integrated !== undefined) {
        onBody.set(
          routeKey,
          eventAuthOnBodyRoute(samAuth.get(apiId) as SamHttpAuth, integrated, p.Auth, routeKey, where),
        );
      } else {
        const guard = bodyGuard(bodies.get(apiId), routeKey, p.Auth, where);
        build.routes[routeKey] = {
          integration: {
            function: id,
            payloadFormatVersion: version as '2.0' | '1.0',
            ...(p.TimeoutInMillis !== undefined && { timeoutInMillis: Number(p.TimeoutInMillis) }),
          },
          ...(guard ?? samRouteAuth(samAuth.get(apiId) as SamHttpAuth, p.Auth, routeKey, `${where}.Auth`)),
        };
        build.sources[`routes["${routeKey}"]`] = where;
      }
      // SAM: an event's RouteSettings join its API's stage, under the route's key.
      if (p.RouteSettings !== undefined)
        addRouteSettings(
          build.stages.values().next().value as HttpStageSettings,
          routeKey,
          p.RouteSettings,
          `${where}.RouteSettings`,
        );
    }
  }

  // CloudFormation AWS::ApiGatewayV2::* (cdk synth), quick create included.
  const integrations = new Map<string, HttpRoute['integration'] & { apiId: string }>();
  const cfnAuthorizers = new Map<string, { apiId: string; authorizer: HttpAuthorizer }>();
  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}.Properties`;
    if (resource.Type === 'AWS::ApiGatewayV2::Api') {
      const p = props(id);
      // CFN-api: Body/BodyS3Location are "Supported only for HTTP APIs": an import needs no ProtocolType.
      const imported =
        p.ProtocolType === undefined && (p.Body !== undefined || p.BodyS3Location !== undefined);
      if (p.ProtocolType !== 'HTTP' && !imported) {
        unsupported.push(`${id}: AWS::ApiGatewayV2::Api with ProtocolType ${String(p.ProtocolType)}`);
        continue;
      }
      const build = api(id);
      if (isTrue(p.DisableExecuteApiEndpoint)) build.disableExecuteApiEndpoint = true;
      const body = await readHttpApiBody('cfn', p, where, baseDir, unsupported, resource.Metadata);
      if (body !== undefined) bodies.set(id, body);
      build.cors = readCfnCors(p.CorsConfiguration, `${where}.CorsConfiguration`);
      build.sources.cors = `${where}.CorsConfiguration`;
      if (p.Target !== undefined) {
        // Quick create: a `$default` route (or RouteKey) to Target, payload 2.0, a `$default` stage.
        const fn = functionNameOf(p.Target);
        if (fn === undefined) throw new ConfigError(`${where}.Target: not a Lambda function ARN`);
        const routeKey = typeof p.RouteKey === 'string' ? p.RouteKey : '$default';
        build.routes[routeKey] = { integration: { function: fn, payloadFormatVersion: '2.0' } };
        build.sources[`routes["${routeKey}"]`] = `${where}.Target`;
        build.stages.set('$default', {});
      }
    } else if (resource.Type === 'AWS::ApiGatewayV2::Integration') {
      const p = props(id);
      if (p.IntegrationType !== 'AWS_PROXY') {
        unsupported.push(`${id}: IntegrationType ${String(p.IntegrationType)} (only AWS_PROXY to Lambda)`);
        continue;
      }
      const fn = functionNameOf(p.IntegrationUri);
      if (fn === undefined) throw new ConfigError(`${where}.IntegrationUri: not a Lambda function`);
      integrations.set(id, {
        apiId: String(p.ApiId),
        function: fn,
        // CFN-integration: required for AWS_PROXY; CDK writes it.
        payloadFormatVersion: (p.PayloadFormatVersion ?? '2.0') as '2.0' | '1.0',
        ...(p.TimeoutInMillis !== undefined && { timeoutInMillis: Number(p.TimeoutInMillis) }),
      });
    } else if (resource.Type === 'AWS::ApiGatewayV2::Authorizer') {
      const p = props(id);
      cfnAuthorizers.set(id, { apiId: String(p.ApiId), authorizer: readCfnAuthorizer(p, where) });
    }
  }
  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}.Properties`;
    if (resource.Type === 'AWS::ApiGatewayV2::Route') {
      const p = props(id);
      const build = apis.get(String(p.ApiId));
      if (build === undefined) continue;
      const auth = cfnRouteAuth(p, cfnAuthorizers, String(p.ApiId), where);
      if (auth.authorizer !== undefined) {
        build.authorizers[auth.authorizer] = cfnAuthorizers.get(auth.authorizer)
          ?.authorizer as HttpAuthorizer;
        build.sources[`authorizers["${auth.authorizer}"]`] = `Resources.${auth.authorizer}.Properties`;
      }
      const target = typeof p.Target === 'string' ? /^integrations\/(.+)$/.exec(p.Target)?.[1] : undefined;
      const integration = target === undefined ? undefined : integrations.get(target);
      if (integration === undefined)
        throw new ConfigError(
          `${where}.Target: "integrations/{IntegrationId}" of the template (got ${JSON.stringify(p.Target)})`,
        );
      const { apiId: _a, ...rest } = integration;
      // CreateRoute refuses a key the API has (ConflictException); the later one must not replace a guarded one.
      if (build.routes[String(p.RouteKey)] !== undefined)
        throw new ConfigError(`${where}.RouteKey: route "${String(p.RouteKey)}" is declared twice`);
      build.routes[String(p.RouteKey)] = { integration: rest, ...auth };
      build.sources[`routes["${String(p.RouteKey)}"]`] = where;
      build.sources[`routes["${String(p.RouteKey)}"].integration`] = `Resources.${target}.Properties`;
    } else if (resource.Type === 'AWS::ApiGatewayV2::Stage') {
      const p = props(id);
      const build = apis.get(String(p.ApiId));
      build?.stages.set(String(p.StageName), readStageSettings(p, where));
      if (build !== undefined && (ctx.stageName ?? '$default') === String(p.StageName))
        for (const key of STAGE_OPTIONS) build.sources[key] = where;
    } else if (
      resource.Type.startsWith('AWS::ApiGatewayV2::') &&
      // Custom domains are read by readDomainMappings and served by customDomains() and serve.
      !/::(Api|Integration|Deployment|Authorizer|DomainName|ApiMapping)$/.test(resource.Type)
    ) {
      unsupported.push(`${id}: ${resource.Type} read later`);
    }
  }
  for (const [id, body] of bodies) {
    const build = api(id);
    const auth = samAuth.get(id);
    const bodyRoutes: Record<string, HttpRoute> = {};
    for (const [key, route] of Object.entries(body.options.routes ?? {})) {
      // A Route resource would shadow the body's route and its guard: CreateRoute refuses the key.
      if (build.routes[key] !== undefined)
        throw new ConfigError(
          `Resources.${id}: route "${key}" is defined both in the API's OpenAPI document and by the template`,
        );
      const guarded = route.authorizer !== undefined || route.authorizationType !== undefined;
      const eventGuard = eventsOnBody.get(id)?.get(key);
      // SAM's DefaultAuthorizer guards the body's operations that have no security of their own.
      bodyRoutes[key] =
        eventGuard !== undefined
          ? { ...route, ...eventGuard }
          : auth === undefined || guarded
            ? route
            : { ...route, ...samRouteAuth(auth, undefined, key, `Resources.${id}.Properties.Auth`) };
    }
    for (const [key, guard] of Object.entries(body.guardsWithoutIntegration)) {
      const route = build.routes[key];
      if (route === undefined || samAuth.has(id)) continue; // SAM events took it already
      // A Route resource integrating an operation the document guards: only with that same guard.
      if (guard instanceof ConfigError || !sameGuard(route, guard))
        throw new ConfigError(
          `Resources.${id}: route "${key}" is guarded in the API's OpenAPI document and differently by the template`,
        );
    }
    // The document's routes first: SAM adds its events' routes to the body.
    build.routes = { ...bodyRoutes, ...build.routes };
    build.authorizers = { ...body.options.authorizers, ...build.authorizers };
    build.cors ??= body.options.cors;
  }
  if (apis.size === 0) return [];

  const fnUnsupported: string[] = [];
  const functions = readFunctions(
    resources,
    isObject(globals.Function) ? globals.Function : undefined,
    resolver,
    baseDir,
    fnUnsupported,
  );
  unsupported.push(...fnUnsupported);
  const out: DefinedHttpApi[] = [];
  for (const [name, build] of apis) {
    if (Object.keys(build.routes).length === 0) {
      unsupported.push(`${name}: an HTTP API without routes`);
      continue;
    }
    const stageName = chooseStage(build.stages, ctx.stageName);
    const { stageVariables, throttle, routeSettings, accessLogSettings } = build.stages.get(stageName) ?? {};
    const used = new Set(Object.values(build.routes).map((r) => r.integration.function));
    for (const a of Object.values(build.authorizers)) if (a.type === 'REQUEST') used.add(a.function);
    for (const fn of bodies.get(name)?.functionNames ?? []) used.add(fn);
    const sources: ProblemSources = { ...build.sources };
    for (const fn of Object.keys(functions))
      if (used.has(fn)) sources[`functions["${fn}"]`] = `Resources.${fn}.Properties`;
    out.push({
      name,
      sources,
      options: {
        routes: build.routes,
        functions: Object.fromEntries(Object.entries(functions).filter(([fn]) => used.has(fn))),
        stageName,
        ...(stageVariables !== undefined && { stageVariables }),
        ...(Object.keys(build.authorizers).length > 0 && { authorizers: build.authorizers }),
        ...(build.cors !== undefined && { cors: build.cors }),
        ...(throttle !== undefined && { throttle }),
        ...(routeSettings !== undefined && { routeSettings }),
        ...(accessLogSettings !== undefined && { accessLogSettings }),
        ...(build.disableExecuteApiEndpoint === true && { disableExecuteApiEndpoint: true }),
      },
    });
  }
  return out;
}

/** The asked stage, else `$default` when there is one, else the first declared (default `$default`). */
function chooseStage(stages: Map<string, unknown>, asked: string | undefined): string {
  if (asked !== undefined) return asked;
  if (stages.has('$default') || stages.size === 0) return '$default';
  return stages.keys().next().value as string;
}

/** serverless v3 `httpApi` events: `'GET /path'`, `'*'`, or `{ method, path }` (serverless docs, http-api.md). */
async function fromServerless(
  source: string | Record<string, unknown>,
  ctx: HttpApiDefinitionContext,
): Promise<DefinedHttpApi[]> {
  const { baseDir } = locate(source);
  const document = typeof source === 'string' ? await readServerlessFile(source) : source;
  const resolver = new VariableResolver(document, { stage: ctx.stageName, env: process.env, baseDir });
  const unsupported = ctx.unsupported ?? [];
  const serviceValue = resolver.get(['service']);
  const service = String(isObject(serviceValue) ? serviceValue.name : serviceValue);
  const provider = resolver.get(['provider', 'httpApi']) ?? {};
  if (!isObject(provider)) throw new ConfigError('provider.httpApi: must be a map');
  // http-api.md: `provider.httpApi.payload` defaults to '2.0'.
  const payload = provider.payload === undefined ? '2.0' : String(provider.payload);
  if (payload !== '2.0' && payload !== '1.0')
    throw new ConfigError(
      `provider.httpApi.payload: "2.0" or "1.0" (got ${JSON.stringify(provider.payload)})`,
    );
  for (const field of ['metrics', 'id']) {
    if (provider[field] !== undefined) unsupported.push(`provider.httpApi.${field}: read later`);
  }
  const rawFunctions = isObject(document.functions) ? document.functions : {};
  const routes: Record<string, HttpRoute> = {};
  const functions: Record<string, FunctionDefinition> = {};
  const sources: ProblemSources = { cors: 'provider.httpApi.cors' };
  const { authorizers, functions: authorizerFunctions } = readServerlessAuthorizers(
    provider.authorizers,
    new Set(Object.keys(rawFunctions)),
  );
  const providerEnv = resolver.get(['provider', 'environment']) ?? {};
  for (const key of Object.keys(rawFunctions)) {
    const events = resolver.get(['functions', key, 'events']);
    if (!Array.isArray(events)) continue;
    events.forEach((event, i) => {
      if (!isObject(event) || event.httpApi === undefined) return;
      const where = `functions.${key}.events[${i}].httpApi`;
      const raw = event.httpApi;
      let routeKey: string;
      if (raw === '*') routeKey = '$default';
      else if (typeof raw === 'string') {
        const [method, routePath] = raw.trim().split(/\s+/);
        if (routePath === undefined)
          throw new ConfigError(`${where}: "METHOD /path" or "*" (got ${JSON.stringify(raw)})`);
        routeKey = `${method === '*' ? 'ANY' : method.toUpperCase()} ${routePath}`;
      } else if (isObject(raw)) {
        const method =
          raw.method === undefined || raw.method === '*' ? 'ANY' : String(raw.method).toUpperCase();
        if (raw.path === undefined && method === 'ANY') routeKey = '$default';
        else if (typeof raw.path !== 'string') throw new ConfigError(`${where}.path: missing`);
        else routeKey = `${method} ${raw.path}`;
      } else throw new ConfigError(`${where}: "METHOD /path", "*" or { method, path }`);
      if (routes[routeKey] !== undefined)
        throw new ConfigError(`${where}: route "${routeKey}" is declared twice`);
      sources[`routes["${routeKey}"]`] = where;
      routes[routeKey] = {
        integration: { function: key, payloadFormatVersion: payload },
        ...(isObject(raw) && serverlessRouteAuth(raw.authorizer, authorizers, `${where}.authorizer`)),
      };
      functions[key] ??= serverlessFunction(resolver, key, baseDir, providerEnv);
    });
  }
  if (Object.keys(routes).length === 0) return [];
  for (const key of authorizerFunctions)
    functions[key] ??= serverlessFunction(resolver, key, baseDir, providerEnv);
  for (const name of Object.keys(authorizers))
    sources[`authorizers["${name}"]`] = `provider.httpApi.authorizers.${name}`;
  for (const key of Object.keys(functions)) sources[`functions["${key}"]`] = `functions.${key}`;
  const cors = readServerlessCors(provider.cors, Object.keys(routes));
  const accessLogSettings = serverlessHttpApiLogs(resolver.get(['provider', 'logs', 'httpApi']));
  // serverless v3 deploys HTTP APIs to the `$default` stage (http-api.md), whatever `provider.stage`.
  return [
    {
      name: service,
      sources,
      options: {
        routes,
        functions,
        stageName: '$default',
        ...(Object.keys(authorizers).length > 0 && { authorizers }),
        ...(cors !== undefined && { cors }),
        ...(accessLogSettings !== undefined && { accessLogSettings }),
        // `provider.httpApi.disableDefaultEndpoint` → `DisableExecuteApiEndpoint` (serverless 2.25.0, #8649).
        ...(isTrue(provider.disableDefaultEndpoint) && { disableExecuteApiEndpoint: true }),
      },
    },
  ];
}

function serverlessFunction(
  resolver: VariableResolver,
  key: string,
  baseDir: string,
  providerEnv: unknown,
): FunctionDefinition {
  const handler = resolver.get(['functions', key, 'handler']);
  if (typeof handler !== 'string') throw new ConfigError(`functions.${key}.handler: missing`);
  const ownEnv = resolver.get(['functions', key, 'environment']) ?? {};
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    ...(isObject(providerEnv) ? providerEnv : {}),
    ...(isObject(ownEnv) ? ownEnv : {}),
  })) {
    if (value !== null && typeof value !== 'object') environment[name] = String(value);
  }
  const timeout =
    Number(resolver.get(['functions', key, 'timeout']) ?? resolver.get(['provider', 'timeout'])) || 6;
  return { handler, codeUri: baseDir, environment, timeout };
}

import { createHash } from 'node:crypto';
import path from 'node:path';
import { compileAuthorizers, compileGuard } from '../auth/compile-guard.js';
import type { GuardContext, MethodGuard } from '../auth/guard.js';
import { ConfigError } from '../config/config-error.js';
import type { FunctionDefinition, Integration, Logger, Method, ResolvedOptions } from '../config/types.js';
import { integrationFunctionName } from '../config/validate.js';
import { compileBinaryMediaTypes } from '../http/media-type.js';
import { BodyBudget, DEFAULT_BUFFERED_BODY_BYTES } from '../http/read-body.js';
import { AwsIntegration, type InvocationTypeSource } from '../integrations/aws-integration.js';
import {
  AwsServiceSettings,
  compileAwsServiceIntegration,
} from '../integrations/aws-service/aws-service-integration.js';
import { isServiceUri } from '../integrations/aws-service/service-uri.js';
import type { ApiRuntime, CompiledIntegration } from '../integrations/compiled-integration.js';
import { compileHttpIntegration } from '../integrations/http/compile-http-integration.js';
import { compileIntegrationResponses, compileTemplates } from '../integrations/integration-responses.js';
import { MockIntegration, type MockIntegrationConfig } from '../integrations/mock-integration.js';
import { ProxyIntegration } from '../integrations/proxy-integration.js';
import { type ModuleFunction, warnMissingModules } from '../lambda/check-handlers.js';
import { captureConsole } from '../lambda/console-capture.js';
import { type LambdaFunction, logStreamName } from '../lambda/context.js';
import { createFunctionLogFor } from '../lambda/function-log-sink.js';
import type { IsolatedRunner } from '../lambda/invoke-types.js';
import { isolateFunction } from '../lambda/isolated/isolate-function.js';
import { moduleHandler } from '../lambda/load-handler.js';
import { logGroupName, loggingVariables } from '../lambda/logging-config.js';
import { installRuntimeVariables, runtimeVariables } from '../lambda/runtime-env.js';
import { GatewayResponses } from '../responses/compile-gateway-responses.js';
import { GatewayError } from '../responses/gateway-error.js';
import { addResource, createResourceNode, type ResourceNode } from '../routing/resource-tree.js';
import { createUsageStore } from '../usage/create-usage-store.js';
import { type MethodMeter, UsageControl } from '../usage/usage-plans.js';
import type { UsageStore } from '../usage/usage-store.js';
import { compileRequestValidator, type RequestValidator } from '../validation/request-validator.js';
import { expandCors } from './cors.js';
import { type ExecutionLogSetting, executionLogSettingFor } from './execution-log.js';
import { createStageLog, type StageLog } from './stage-log.js';
import type { TestInvokeMode } from './trace-request.js';
import { validateApi } from './validate-api.js';

/** A method ready to serve: everything a request needs, computed once. */
export interface CompiledMethod {
  httpMethod: string;
  resourcePath: string;
  resourceId: string;
  /** The method's authorizationType at work; absent for NONE. */
  guard?: MethodGuard;
  /** API key, throttles and quota; absent when none applies. */
  meter?: MethodMeter;
  /** The method's requestValidator at work; absent when it checks nothing. */
  validator?: RequestValidator;
  integration: CompiledIntegration;
  /** The stage's execution logging for this method (`methodSettings`); absent when off. */
  executionLog?: ExecutionLogSetting;
}

export interface CompiledApi extends ApiRuntime {
  root: ResourceNode<CompiledMethod>;
  /** `/prod`, or `''` when serving at the root. */
  basePath: string;
  /** Only custom domains serve it: its own base path answers 403. */
  disableExecuteApiEndpoint: boolean;
  /** What each gateway error looks like: `gatewayResponses` (and CORS's) over the built-in table. */
  gatewayResponses: GatewayResponses;
  /** Throttle buckets and quota counts (memory, Redis, or the user's own). */
  store: UsageStore;
  /** Request body bytes held now, against `maxBufferedBodyBytes`. */
  bodyBudget: BodyBudget;
  /** The functions given by `Handler` string, for a startup check. */
  moduleFunctions: ModuleFunction[];
  /** With `functionLogs`: gives the console back once no gateway captures it. */
  releaseConsole?: () => void;
  /** Access log and metrics; absent when both are off. */
  stageLog?: StageLog;
  /** Where execution logs go (`executionLogger`, else `logger`). */
  executionLogger: Logger;
  /** Set on the view of the API that one test invoke runs through; absent otherwise. */
  testInvoke?: TestInvokeMode;
  /** Ends the execution environments of isolated functions. */
  closeEnvironments(): Promise<void>;
  /** With the `stages` option: every stage by its base path (`/beta`), this one first. */
  stages?: ReadonlyMap<string, CompiledApi>;
}

/**
 * What the stages of one API share, compiled by the first stage and reused by the others:
 * functions, the usage store, each route's validator and templates. Per stage stay what AWS keeps
 * per stage: variables, method settings, throttle buckets, authorizer caches, logs.
 */
export interface SharedCompilation {
  functions?: Map<string, LambdaFunction>;
  moduleFunctions?: ModuleFunction[];
  store?: UsageStore;
  validators: Map<string, RequestValidator | undefined>;
  templates: Map<string, IntegrationTemplates>;
}

/** One stage of several: the shared parts, and its own deploymentId when given. */
export interface StageCompilation {
  shared: SharedCompilation;
  deploymentId?: string;
  /** `GET /orders` (as `resources` spells it) → the integration this stage runs instead of compiling it. */
  integrations?: Map<string, CompiledIntegration>;
}

type IntegrationTemplates = MockIntegrationConfig;

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const DEFAULT_FUNCTION_TIMEOUT_S = 3;

/** Stable 10-character lower-case id, as AWS's look for API, resource and deployment ids. */
export function shortId(seed: string, length = 10): string {
  const hex = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[hex[i] % alphabet.length];
  return id;
}

export function compileFunctions(
  options: ResolvedOptions,
  region: string,
  accountId: string,
  logger: Logger,
  moduleFunctions: ModuleFunction[] = [],
  rawLogger: Logger = console,
  runners: IsolatedRunner[] = [],
): Map<string, LambdaFunction> {
  const compiled = new Map<string, LambdaFunction>();
  const envOwner = new Map<string, { name: string; value: string }>();
  // AWS_REGION: the API's region when given, else the one the process is set up for (its SDK calls go there).
  const variablesRegion =
    options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || region);
  for (const [name, entry] of Object.entries(options.functions ?? {})) {
    const def: FunctionDefinition = typeof entry === 'function' ? { handler: entry } : entry;
    // An isolated function's `environment` is its own processes', not this one's.
    const isolated =
      typeof def.handler === 'string' && (def.isolation ?? options.isolation ?? 'none') === 'process';
    for (const [key, value] of isolated ? [] : Object.entries(def.environment ?? {})) {
      const owner = envOwner.get(key);
      if (owner !== undefined && owner.value !== value) {
        throw new ConfigError(
          `functions["${name}"].environment.${key}: conflicts with functions["${owner.name}"] (functions share one process.env)`,
        );
      }
      envOwner.set(key, { name, value });
      if (process.env[key] === undefined) process.env[key] = value;
      else if (process.env[key] !== value)
        logger.warn(`functions["${name}"].environment.${key}: process.env already sets it`);
    }
    const codeRoot = typeof def.handler === 'string' ? path.resolve(def.codeUri ?? '.') : undefined;
    const fromModule =
      typeof def.handler === 'string' && !isolated
        ? moduleHandler(def.handler, codeRoot as string, name)
        : undefined;
    const fn: { -readonly [K in keyof LambdaFunction]: LambdaFunction[K] } & {
      variables: Record<string, string>;
    } = {
      name,
      handler: fromModule ?? (def.handler as LambdaFunction['handler']),
      timeoutMs: Math.round((def.timeout ?? DEFAULT_FUNCTION_TIMEOUT_S) * 1000),
      memoryLimitInMB: String(def.memorySize ?? 128),
      invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
      logGroupName: logGroupName(name, def.loggingConfig),
      version: '$LATEST',
      variables: {} as Record<string, string>,
    };
    const code = codeRoot !== undefined ? { root: codeRoot, handler: def.handler as string } : undefined;
    Object.assign(fn.variables, runtimeVariables(fn, logStreamName(fn), variablesRegion, code));
    Object.assign(fn.variables, loggingVariables(def.loggingConfig));
    if (options.functionLogs !== undefined) {
      const log = createFunctionLogFor(
        fn,
        logStreamName(fn),
        def.loggingConfig,
        options.functionLogs,
        rawLogger,
      );
      Object.assign(fn, { log });
    }
    compiled.set(name, fn);
    if (isolated && code !== undefined) {
      const { runner, handler } = isolateFunction({
        fn,
        handler: code.handler,
        codeRoot: code.root,
        environment: def.environment,
        memorySizeMB: def.memorySize ?? 128,
        reservedConcurrency: def.reservedConcurrency,
      });
      fn.isolated = runner;
      runners.push(runner);
      moduleFunctions.push({ fn, spec: code.handler, codeRoot: code.root, handler });
    }
    if (fromModule !== undefined && code !== undefined) {
      moduleFunctions.push({ fn, spec: code.handler, codeRoot: code.root, handler: fromModule });
    }
  }
  if (compiled.size > 0) installRuntimeVariables();
  return compiled;
}

// A Lambda integration AWS cannot call (a method other than POST, an illegal header mapping):
// it answers every call with a 500.
const FAILING_INTEGRATION: CompiledIntegration = {
  execute: async () => new GatewayError('INTEGRATION_FAILURE'),
};

const QUIET_LOGGER: Logger = { warn() {}, error() {} };

const INVOCATION_TYPE_TARGET = 'integration.request.header.x-amz-invocation-type';
const REQUEST_PARAMETER_TARGET = /^integration\.request\.(header|querystring|path)\.[^.]+$/;
const REQUEST_PARAMETER_SOURCE =
  /^('.*'|method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.[^.]+|method\.request\.body(\..+)?|stageVariables\.[^.]+|context\.[\w.]+)$/;
// Integration request headers AWS refuses to map: every call then fails with a 500 (recorded:
// test_apigateway_header_remapping_aws, for AWS and AWS_PROXY alike).
const ILLEGAL_REQUEST_HEADERS = new Set([
  'authorization',
  'connection',
  'content-length',
  'expect',
  'proxy-authenticate',
  'te',
  'transfer-encoding',
  'x-amzn-trace-id',
]);

/** integration.requestParameters, checked. For Lambda only X-Amz-Invocation-Type changes the call. */
function compileRequestParameters(
  route: string,
  parameters: Record<string, string> | undefined,
): { invocationType: InvocationTypeSource; mapsIllegalHeader: boolean } {
  let invocationType: InvocationTypeSource;
  let mapsIllegalHeader = false;
  for (const [target, value] of Object.entries(parameters ?? {})) {
    const where = `${route}: integration.requestParameters["${target}"]`;
    if (!REQUEST_PARAMETER_TARGET.test(target)) {
      throw new ConfigError(`${where}: keys are integration.request.{header|querystring|path}.{name}`);
    }
    if (!REQUEST_PARAMETER_SOURCE.test(value)) {
      throw new ConfigError(
        `${where}: ${JSON.stringify(value)} is not a mapping source ('static', method.request.header.X, …)`,
      );
    }
    const [, , location, name] = target.split('.');
    if (location === 'header' && ILLEGAL_REQUEST_HEADERS.has(name.toLowerCase())) mapsIllegalHeader = true;
    if (target.toLowerCase() !== INVOCATION_TYPE_TARGET) continue;
    if (value.startsWith("'")) {
      const type = value.slice(1, -1);
      if (type !== 'Event' && type !== 'RequestResponse') {
        throw new ConfigError(`${where}: invocation type must be 'Event' or 'RequestResponse'`);
      }
      invocationType = { kind: 'static', value: type };
    } else if (value.startsWith('method.request.header.')) {
      invocationType = { kind: 'header', name: value.slice('method.request.header.'.length).toLowerCase() };
    }
  }
  return { invocationType, mapsIllegalHeader };
}

function compileIntegration(
  route: string,
  method: Method,
  functions: Map<string, LambdaFunction>,
  stageVariables: Record<string, string>,
  logger: Logger,
  services?: AwsServiceSettings,
  templates?: Map<string, IntegrationTemplates>,
): CompiledIntegration {
  const integration: Integration = method.integration;
  const timeoutMs = integration.timeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const integrationMethod = (integration.httpMethod ?? 'POST').toUpperCase();
  const fn = () =>
    functions.get(integrationFunctionName(integration, stageVariables) as string) as LambdaFunction;
  const { invocationType, mapsIllegalHeader } = compileRequestParameters(
    route,
    integration.requestParameters,
  );
  if (integration.type === 'HTTP' || integration.type === 'HTTP_PROXY')
    return compileHttpIntegration(route, method, timeoutMs);
  if (mapsIllegalHeader && integration.type !== 'MOCK') {
    logger.warn(
      `${route}: integration.requestParameters maps a header API Gateway refuses; every call fails with 500`,
    );
    return FAILING_INTEGRATION;
  }
  if (integration.type === 'AWS' && isServiceUri(integration.uri) && services) {
    return compileAwsServiceIntegration(route, method, stageVariables, timeoutMs, services);
  }
  if (integration.type !== 'MOCK' && integrationMethod !== 'POST') {
    logger.warn(
      `${route}: integration.httpMethod ${integrationMethod}: Lambda integrations must use POST; every call fails with 500`,
    );
    return FAILING_INTEGRATION;
  }
  if (integration.type === 'AWS_PROXY') return new ProxyIntegration(fn(), timeoutMs);
  const common = templates?.get(route) ?? {
    passthroughBehavior: integration.passthroughBehavior ?? 'WHEN_NO_MATCH',
    requestTemplates: compileTemplates(
      integration.requestTemplates,
      `${route}: integration.requestTemplates`,
    ),
    contentHandling: integration.contentHandling,
    responses: compileIntegrationResponses(route, integration.integrationResponses, method.methodResponses),
  };
  templates?.set(route, common);
  if (integration.type === 'MOCK') return new MockIntegration(common);
  return new AwsIntegration({ ...common, fn: fn(), timeoutMs, invocationType });
}

/**
 * The host's logger behind a guard, made once: a logger that throws must not change an answer
 * (a 502 turning into a 500) nor escape a fire-and-forget invocation as an unhandled rejection.
 */
function guardLogger(logger: Logger): Logger {
  const level =
    (name: keyof Logger) =>
    (...args: unknown[]): void => {
      try {
        logger[name]?.(...args);
      } catch {
        // a broken logger must not stop the answer
      }
    };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}

/** Models and required parameters that nothing checks: said once at startup, as a likely oversight. */
function warnUnenforced(route: string, method: Method, logger: Logger, validator?: RequestValidator): void {
  // As on AWS, models and required parameters are only checked by a requestValidator.
  const unchecked: string[] = [];
  if (Object.keys(method.requestModels ?? {}).length > 0 && !validator?.validatesBody)
    unchecked.push('requestModels');
  if (Object.values(method.requestParameters ?? {}).includes(true) && !validator?.validatesParameters)
    unchecked.push('requestParameters');
  if (unchecked.length > 0) {
    logger.warn(
      `apigw-express: ${route}: ${unchecked.join(', ')} not checked: no requestValidator validates them (as on AWS, requests pass unchecked)`,
    );
  }
}

/** Config → CompiledApi: validated, resource tree built, integrations compiled. Throws ConfigError. */
export function createGateway(config: ResolvedOptions, stage?: StageCompilation): CompiledApi {
  validateApi(config);
  const options = expandCors(config);
  const logger = guardLogger(options.logger ?? console);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const stageName = options.stageName ?? 'prod';
  const resourcePaths = Object.keys(options.resources);
  const restApiId = options.restApiId ?? shortId(`api:${resourcePaths.join(',')}`);
  const shared = stage?.shared;
  // The first stage compiles the functions; the others run the same ones.
  const firstStage = shared?.functions === undefined;
  const moduleFunctions: ModuleFunction[] = shared?.moduleFunctions ?? [];
  // The first stage's: it starts and ends the isolated functions' environments.
  const runners: IsolatedRunner[] = [];
  const functions =
    shared?.functions ??
    compileFunctions(options, region, accountId, logger, moduleFunctions, options.logger, runners);
  // A file that is not there, said now rather than at the first request (which still gets the
  // runtime's error, as on Lambda: `serve` refuses to start instead).
  if (firstStage) warnMissingModules(moduleFunctions, logger);
  const now = options.clock ?? Date.now;
  const stageVariables = options.stageVariables ?? {};
  const identity = {
    restApiId,
    accountId,
    region,
    stageName,
    deploymentId: stage?.deploymentId ?? shortId(`deployment:${restApiId}:${stageName}`, 6),
    stageVariables: Object.keys(stageVariables).length > 0 ? { ...stageVariables } : null,
  };
  const guardContext: GuardContext = { options, functions, identity, logger, now };
  const authorizers = compileAuthorizers(guardContext);
  const store = shared?.store ?? createUsageStore(options.store, now);
  // Stages share the store; each stage's throttle buckets are its own.
  const usage = new UsageControl(options, store, now, logger, shared ? `${stageName}:` : '');
  if (shared !== undefined) Object.assign(shared, { functions, moduleFunctions, store });
  const gatewayResponses = new GatewayResponses(options.gatewayResponses, identity);

  const services = new AwsServiceSettings(options.awsServiceCredentials, options.awsEndpoints);
  const root = createResourceNode<CompiledMethod>('/');
  const seenPaths = new Map<string, string>();
  for (const path of resourcePaths) {
    const node = addResource(root, path);
    const previous = seenPaths.get(node.path);
    if (previous !== undefined) {
      throw new ConfigError(`resources["${path}"]: same resource as resources["${previous}"]`);
    }
    seenPaths.set(node.path, path);
    const resourceId = node.path === '/' ? shortId(`root:${restApiId}`) : shortId(`resource:${node.path}`, 6);
    for (const [rawMethod, method] of Object.entries(options.resources[path] as Record<string, Method>)) {
      const httpMethod = rawMethod.toUpperCase();
      const route = `${httpMethod} ${node.path}`;
      const validator = shared?.validators.has(route)
        ? shared.validators.get(route)
        : compileRequestValidator(route, method, options);
      shared?.validators.set(route, validator);
      if (firstStage) warnUnenforced(route, method, logger, validator);
      node.methods.set(httpMethod, {
        httpMethod,
        resourcePath: node.path,
        resourceId,
        guard: compileGuard(route, method, authorizers, guardContext),
        meter: usage.meterFor(node.path, httpMethod, method.apiKeyRequired === true),
        validator,
        integration:
          stage?.integrations?.get(`${httpMethod} ${path}`) ??
          compileIntegration(
            route,
            method,
            functions,
            options.stageVariables ?? {},
            // Its warnings hold for every stage: said once, by the first.
            firstStage ? logger : QUIET_LOGGER,
            services,
            shared?.templates,
          ),
        executionLog: executionLogSettingFor(options.methodSettings, node.path, httpMethod),
      });
    }
  }

  const basePath = options.basePath ?? `/${stageName}`;
  const stageLog = createStageLog(options, identity, basePath, logger);
  return {
    root,
    basePath,
    disableExecuteApiEndpoint: options.disableExecuteApiEndpoint === true,
    stageLog,
    gatewayResponses,
    store,
    bodyBudget: new BodyBudget(options.maxBufferedBodyBytes ?? DEFAULT_BUFFERED_BODY_BYTES),
    moduleFunctions,
    // Last, once nothing above can throw: a capture is released only by `close()`.
    releaseConsole: options.functionLogs !== undefined && firstStage ? captureConsole() : undefined,
    closeEnvironments: async () => {
      await Promise.all(runners.map((runner) => runner.close()));
    },
    logger,
    executionLogger: options.executionLogger ? guardLogger(options.executionLogger) : logger,
    now,
    isBinary: compileBinaryMediaTypes(options.binaryMediaTypes ?? []),
    identity,
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { setGatewayHeader, toEventHeaders } from '../http/event-headers.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { mappedPrefix, mappingOf } from '../http/matched-mapping.js';
import { parseQuery } from '../http/parse-query.js';
import { BodyReservation, MAX_PAYLOAD_BYTES, readBody } from '../http/read-body.js';
import { RequestFacts } from '../http/request-facts.js';
import { createRequestSeed, type RequestSeed } from '../http/request-seed.js';
import { canonicalPath } from '../http/request-target.js';
import { sendForbidden } from '../http/send-forbidden.js';
import type { GatewayErrorScope } from '../responses/compile-gateway-responses.js';
import { GatewayError } from '../responses/gateway-error.js';
import {
  sendBadRequest,
  sendGatewayError,
  sendPayloadTooLarge,
  sendResponse,
  sendUriTooLong,
} from '../responses/send.js';
import { matchRoute } from '../routing/match-route.js';
import type { CompiledApi } from './create-gateway.js';
import { type ExpressFields, readTarget, type TargetPaths } from './read-target.js';
import { withRequestLog } from './request-api.js';
import { selectStage } from './stages.js';
import { finishTrace, startTrace, traceValidation } from './trace-request.js';

// APIs that already warned about a body parser running first: once per apiGateway(), not per request.
const warnedReserialised = new WeakMap<CompiledApi, Set<string>>();

/** Set on the request: the id its answer carries (`x-amzn-RequestId`), for a server's access log. */
export const REQUEST_ID = Symbol.for('apigw-express.requestId');

/** A regional REST API's URL length quota (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
const MAX_URL_LENGTH = 10_240;
const EMPTY_BODY = Buffer.alloc(0);

function sourceIpOf(req: IncomingMessage): string {
  const ip = req.socket?.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** With `stages`: the stage a custom domain's mapping names (or the caller names after its base path), else the URL's. */
function stageOf(api: CompiledApi, req: IncomingMessage): CompiledApi | undefined {
  const mapping = mappingOf(req);
  if (mapping === undefined) return selectStage(api, req);
  const stages = [...(api.stages as ReadonlyMap<string, CompiledApi>).values()];
  let name = mapping.stage;
  if (name === undefined && mapping.stageInPath) {
    const rest = (req.url ?? '/').slice(mapping.basePath.length);
    name = /^\/([^/?#]+)/.exec(rest)?.[1];
  }
  // A stage the API lacks: the first stage answers, and refuses it as AWS does.
  return stages.find((s) => s.identity.stageName === name) ?? stages[0];
}

/**
 * One request to the API: with `stages`, to the stage its path names; a path under no stage
 * passes on, as one outside the single stage does.
 */
export { readTarget };

export function handleRequest(
  api: CompiledApi,
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): Promise<void> {
  const stage = api.stages === undefined ? api : stageOf(api, req);
  if (stage === undefined) {
    next();
    return Promise.resolve();
  }
  return handleStageRequest(stage, req, res, next);
}

/**
 * One request, in the order of API Gateway's execution log: match the resource and method,
 * throttle, authorize, meter the API key, read the payload, validate, run the integration,
 * answer. The payload is read only once the guards that need none let the request in. Never
 * throws and never calls `next(err)`.
 */
async function handleStageRequest(
  api: CompiledApi,
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): Promise<void> {
  const mapping = mappingOf(req);
  const target =
    mapping === undefined
      ? readTarget(req, api.basePath)
      : readTarget(req, mappedPrefix(mapping, api.identity.stageName), true);
  // Not ours, or already answered by an earlier middleware: the function must not run for it.
  if (target === undefined || res.headersSent || res.writableEnded) return next();
  // The execute-api URL of an API that turned it off, or a mapping to a stage this API lacks.
  if (
    mapping === undefined
      ? api.disableExecuteApiEndpoint
      : mapping.stage !== undefined && mapping.stage !== api.identity.stageName
  )
    return sendForbidden(res);

  const seed = createRequestSeed(api.now(), req.headers['x-amzn-trace-id']);
  (req as { [REQUEST_ID]?: string })[REQUEST_ID] = seed.requestId;
  // Access logs and metrics: the facts are collected only while one of them is on.
  const facts = api.stageLog === undefined ? undefined : new RequestFacts(seed.requestTimeEpoch);
  if (facts !== undefined) seed.facts = facts;
  // What an error answer may read: the request once it is known, the route once it matched.
  const scope: GatewayErrorScope = {};
  const reservation = new BodyReservation(api.bodyBudget);
  let requestApi = api;
  try {
    // Over 10 MB, or a URL over the quota, is refused by AWS's front end before the API runs:
    // not a gateway response, so none of the API's gatewayResponses apply.
    if (Number(req.headers['content-length']) > MAX_PAYLOAD_BYTES) return sendPayloadTooLarge(res);
    if (((req as ExpressFields).originalUrl ?? req.url ?? '').length > MAX_URL_LENGTH) {
      return sendUriTooLong(res);
    }
    if (target.ambiguous) return sendBadRequest(res);

    const httpMethod = req.method ?? 'GET';
    const found = matchRoute(api.root, target.path, httpMethod);
    const method = found?.method;
    // The body stays unread until a guard needs it or every guard has let the request in.
    const request = toGatewayRequest(req, httpMethod, target, seed);
    if (mapping !== undefined) request.customDomain = mapping;
    scope.request = request;
    if (facts !== undefined) facts.request = request;
    // What guards and integrations log names this request.
    requestApi = withRequestLog(api, httpMethod, target.requestPath, seed.requestId);
    if (!found || !method)
      return fail(api, res, new GatewayError('MISSING_AUTHENTICATION_TOKEN'), seed, scope);

    const route = {
      resourcePath: method.resourcePath,
      resourceId: method.resourceId,
      pathParameters: found.pathParameters,
    };
    scope.route = route;
    if (facts !== undefined) {
      facts.route = route;
      facts.methodKey = method.httpMethod;
    }
    // Only when the method logs or a test invoke runs: otherwise one undefined check per step.
    if (method.executionLog !== undefined || api.testInvoke !== undefined)
      request.trace = startTrace(api, method, seed);
    // No await without a meter: each one is a turn of the microtask queue.
    const throttled = method.meter === undefined ? undefined : await method.meter.throttle();
    if (throttled !== undefined) return fail(api, res, throttled, seed, scope);
    // Only a signature over the payload's hash needs the body before the guard can answer.
    const bodyFirst = method.guard?.readsBody?.(request) === true;
    if (bodyFirst && !(await receiveBody(api, req, res, request, reservation, scope))) return;
    if (method.guard !== undefined && api.testInvoke?.authorize !== false) {
      const started = facts === undefined ? 0 : api.now();
      const auth = await method.guard.authorize(request, route, requestApi);
      facts?.guarded(auth, api.now() - started);
      if (auth instanceof GatewayError) return fail(api, res, auth, seed, scope);
      request.auth = auth;
    }
    const metered =
      method.meter === undefined || api.testInvoke?.authorize === false
        ? undefined
        : await method.meter.check(request);
    if (metered instanceof GatewayError) return fail(api, res, metered, seed, scope);
    if (metered !== undefined) {
      request.auth = { ...request.auth, identity: { ...request.auth?.identity, ...metered } };
    }
    if (!bodyFirst && !(await receiveBody(api, req, res, request, reservation, scope))) return;
    request.trace?.usagePlan(
      httpMethod,
      method.resourcePath,
      method.meter?.apiKeyRequired === true,
      metered?.apiKey,
    );
    request.trace?.methodRequest(request, route);
    const invalid = method.validator?.validate(request, route);
    if (request.trace !== undefined) traceValidation(request, method.validator, invalid);
    if (invalid !== undefined) return fail(api, res, invalid, seed, scope);
    const outcome = await method.integration.execute(request, route, requestApi);
    if (outcome instanceof GatewayError) return fail(api, res, outcome, seed, scope);
    request.trace?.methodResponse(outcome.response, outcome.traced ? seed.traceId : undefined);
    sendResponse(res, outcome.response, seed, outcome.traced, api.gatewayResponses, scope);
  } catch (error) {
    scope.request?.trace?.error('Execution failed due to an internal error');
    answerUnexpected(requestApi, res, seed, error, scope);
  } finally {
    reservation.release();
    if (facts !== undefined) recordFacts(api, facts, res);
    if (scope.request?.trace !== undefined) finishTrace(api, scope.request.trace, res, seed);
  }
}

/** The answered request's access-log line and metrics; one that never reached the API has none. */
function recordFacts(api: CompiledApi, facts: RequestFacts, res: ServerResponse): void {
  if (facts.request === undefined || !res.headersSent) return;
  facts.endedAt = api.now();
  if (facts.status < 0) facts.status = res.statusCode;
  api.stageLog?.record(facts);
}

/**
 * Reads the payload into `request.body`; false when the request is already answered (too large,
 * over `maxBufferedBodyBytes`) or the client is gone.
 */
async function receiveBody(
  api: CompiledApi,
  req: IncomingMessage,
  res: ServerResponse,
  request: GatewayRequest,
  reservation: BodyReservation,
  scope: GatewayErrorScope,
): Promise<boolean> {
  const body = await readBody(req, reservation);
  if (body.kind === 'too-large') sendPayloadTooLarge(res);
  if (body.kind === 'over-budget') {
    // AWS's answer when it takes no more: 429 (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
    // The rest of the body is not read: close rather than drain it.
    if (!res.headersSent) res.setHeader('Connection', 'close');
    fail(api, res, new GatewayError('THROTTLED'), request.seed, scope);
  }
  if (body.kind !== 'bytes') return false; // aborted: the client is gone; nobody to answer
  if (body.fidelity !== 'exact') warnReserialised(api, body.fidelity);
  request.body = body.bytes;
  return true;
}

/** A gateway error, answered through the API's gateway responses. */
function fail(
  api: CompiledApi,
  res: ServerResponse,
  error: GatewayError,
  seed: RequestSeed,
  scope: GatewayErrorScope,
): void {
  scope.request?.trace?.gatewayResponse(error);
  sendGatewayError(res, error, seed, api.gatewayResponses, scope);
}

/** Once per apiGateway() and kind: the handler's body is not the client's bytes. */
function warnReserialised(api: CompiledApi, fidelity: 'reserialised' | 'lossy'): void {
  const warned = warnedReserialised.get(api) ?? new Set<string>();
  if (warned.has(fidelity)) return;
  warned.add(fidelity);
  warnedReserialised.set(api, warned);
  api.logger.warn(
    fidelity === 'lossy'
      ? 'apigw-express: a body parser consumed the request before the gateway, and its result cannot be turned back into the bytes the client sent; the handler gets the nearest form of it. Mount apigw-express before body parsers, or set req.rawBody in a verify hook.'
      : 'apigw-express: a body parser consumed the request before the gateway; the handler gets a re-serialised body. Mount apigw-express before body parsers, or set req.rawBody in a verify hook.',
  );
}

function toGatewayRequest(
  req: IncomingMessage,
  httpMethod: string,
  target: TargetPaths,
  seed: RequestSeed,
): GatewayRequest {
  const headers = toEventHeaders(req.rawHeaders);
  const sourceIp = sourceIpOf(req);
  // Headers API Gateway's front end adds on the way in.
  const forwardedFor = headers.lower.get('x-forwarded-for');
  setGatewayHeader(headers, 'X-Amzn-Trace-Id', seed.eventTraceId);
  setGatewayHeader(headers, 'X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp);
  setGatewayHeader(headers, 'X-Forwarded-Port', String(req.socket?.localPort ?? 443));
  setGatewayHeader(
    headers,
    'X-Forwarded-Proto',
    (req.socket as { encrypted?: boolean })?.encrypted ? 'https' : 'http',
  );
  return {
    httpMethod,
    path: target.mappedPath ?? target.path,
    canonicalPath: canonicalPath(target.path),
    requestPath: target.requestPath,
    query: parseQuery(target.query),
    rawQuery: target.query,
    headers,
    rawHeaders: req.rawHeaders,
    body: EMPTY_BODY,
    sourceIp,
    protocol: `HTTP/${req.httpVersion}`,
    seed,
  };
}

/** A bug of ours must still get the answer AWS gives for a 5xx, never a crash or a hang. */
export function answerUnexpected(
  api: CompiledApi,
  res: ServerResponse,
  seed: RequestSeed,
  error: unknown,
  scope: GatewayErrorScope = {},
): void {
  try {
    api.logger.error('apigw-express: unexpected error', error);
  } catch {
    // a broken logger must not stop the answer
  }
  try {
    sendGatewayError(res, new GatewayError('API_CONFIGURATION_ERROR'), seed, api.gatewayResponses, scope);
  } catch {
    // the API's own gateway response could not be sent (a header Node refuses): the built-in one can
    sendGatewayError(res, new GatewayError('API_CONFIGURATION_ERROR'), seed);
  }
}

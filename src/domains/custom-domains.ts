import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../config/config-error.js';
import type { CompiledApi } from '../gateway/create-gateway.js';
import type { ApiGatewayMiddleware } from '../gateway/middleware.js';
import { type MatchedMapping, markMapping, unmarkMapping } from '../http/matched-mapping.js';
import { parseRequestTarget } from '../http/request-target.js';
import { sendForbidden } from '../http/send-forbidden.js';
import { compileHttpApiMapping, type HttpApiMapping } from '../http-api/domains/http-api-mapping.js';
import type { HttpApiMiddleware } from '../http-api/types.js';

/**
 * One API mapping of a custom domain, as `AWS::ApiGateway::BasePathMapping` spells it: the API
 * (what `apiGateway()` returned) and its stage.
 */
export interface BasePathMapping {
  restApi: ApiGatewayMiddleware;
  /**
   * The API's stage. Omitted, as on AWS, callers name the stage after the base path
   * (`/v1/prod/pets`); give the API alone (not this object) to map its own stage.
   */
  stage?: string;
}

/** An `AWS::ApiGateway::DomainName` and its mappings. */
export interface CustomDomainName {
  /**
   * Base path → API (its own stage) or `BasePathMapping`: `''` (or `'(none)'`) the root, `'v1'` one level as a `BasePathMapping`,
   * `'v1/orders'` several as an `AWS::ApiGatewayV2::ApiMapping` key. The longest match wins.
   * An `httpApi()` (or `{ httpApi, stage }`) maps an HTTP API, alone or beside REST APIs.
   */
  mappings: Record<string, ApiGatewayMiddleware | BasePathMapping | HttpApiMiddleware | HttpApiMapping>;
}

/** Connect-style middleware; a plain `node:http` listener too (unknown Host: 404). */
export interface CustomDomainsHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Settles once every mapped API is ready and each mapping's stage is its API's; rejects with a ConfigError. */
  ready: Promise<void>;
}

interface CompiledMapping {
  gateway: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** `/v1/orders`: matched segment-wise, so `/v1/ordersx` is not under it. */
  matched: MatchedMapping;
}

interface CompiledDomain {
  /** Longest base path first; the root mapping (if any) last. */
  mappings: CompiledMapping[];
}

// AWS's API mapping keys: letters, digits and $-_.+!*'() per segment (API_CreateApiMapping).
const BASE_PATH_SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const COMPILED_API = Symbol.for('apigw-express.compiledApi');

/**
 * Serves REST APIs under custom domain names, as `AWS::ApiGateway::DomainName` with its base path
 * mappings does: the Host header picks the domain, the longest base path its API and stage. A
 * base path no mapping covers is answered 403 `{"message":"Forbidden"}`; a Host that is none of
 * the domains goes to `next` (404 on a bare `node:http` server). Certificates and mutual TLS are
 * not emulated. Throws ConfigError naming the domain and base path for a mapping AWS would refuse.
 * HTTP APIs (`httpApi()`) map as `AWS::ApiGatewayV2::ApiMapping` maps them, beside REST APIs on one
 * domain (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html). The
 * unmapped-path 403 is the domain's, before any API runs (Miserlou/Zappa#1248); that it is the
 * same for a domain of HTTP APIs only is inferred, not recorded.
 * @example
 * app.use(customDomains({
 *   'api.example.com': { mappings: { '': pets, v1: { restApi: pets, stage: 'prod' }, 'v1/orders': orders } },
 * }));
 */
export function customDomains(domainNames: Record<string, CustomDomainName>): CustomDomainsHandler {
  const { domains, checks } = compileDomains(domainNames);
  const handler = function customDomainsHandler(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ) {
    const domain = domains.get(hostNameOf(req.headers.host));
    if (domain === undefined) {
      if (next) next();
      else if (!res.headersSent) {
        res.statusCode = 404;
        res.end();
      }
      return;
    }
    const target = parseRequestTarget(req.url ?? '/');
    const mapping = target === undefined ? undefined : matchMapping(domain, target.path);
    if (mapping === undefined) return sendForbidden(res);
    markMapping(req, mapping.matched);
    // The mapped API does not take it (its stage is not the one named after the base path): on
    // AWS no other API could, so it is refused, not handed to the host app.
    mapping.gateway(req, res, () => {
      unmarkMapping(req);
      sendForbidden(res);
    });
  } as CustomDomainsHandler;
  handler.ready = Promise.all(checks.map((check) => check())).then(() => undefined);
  // Nobody may await `ready`: the mapped gateways answer for themselves; this is for startup checks.
  handler.ready.catch(() => undefined);
  return handler;
}

/** `API.Example.com:8080` → `api.example.com`; `[::1]:3000` → `[::1]`. */
function hostNameOf(host: string | undefined): string {
  if (host === undefined) return '';
  let name = host.trim().toLowerCase();
  const colon = name.lastIndexOf(':');
  if (colon !== -1 && colon > name.lastIndexOf(']')) name = name.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The mapping whose base path is the longest leading run of whole segments of `path`. */
function matchMapping(domain: CompiledDomain, path: string): CompiledMapping | undefined {
  // `//v1/x` is `/v1/x` to AWS's front end (recorded for the stage segment).
  let start = 0;
  while (start + 1 < path.length && path.charCodeAt(start + 1) === 47) start++;
  const rest = start === 0 ? path : path.slice(start);
  for (const mapping of domain.mappings) {
    const base = mapping.matched.basePath;
    if (base === '') return mapping;
    if (rest.startsWith(base) && (rest.length === base.length || rest.charCodeAt(base.length) === 47)) {
      return mapping;
    }
  }
  return undefined;
}

function compileDomains(domainNames: Record<string, CustomDomainName>): {
  domains: Map<string, CompiledDomain>;
  checks: (() => Promise<void>)[];
} {
  if (typeof domainNames !== 'object' || domainNames === null || Array.isArray(domainNames)) {
    throw new ConfigError('customDomains: an object of domain name → { mappings }');
  }
  const domains = new Map<string, CompiledDomain>();
  const checks: (() => Promise<void>)[] = [];
  for (const [name, definition] of Object.entries(domainNames)) {
    const domainName = name.toLowerCase();
    if (!DOMAIN_NAME.test(domainName) || domainName.startsWith('*.')) {
      throw new ConfigError(`customDomains["${name}"]: not a domain name such as api.example.com`);
    }
    if (domains.has(domainName)) {
      throw new ConfigError(`customDomains["${name}"]: given twice (domain names are case-insensitive)`);
    }
    const given = (definition as CustomDomainName | undefined)?.mappings;
    if (typeof given !== 'object' || given === null || Object.keys(given).length === 0) {
      throw new ConfigError(`customDomains["${name}"].mappings: at least one base path → API`);
    }
    const mappings: CompiledMapping[] = [];
    for (const [key, value] of Object.entries(given)) {
      const where = `customDomains["${name}"].mappings["${key}"]`;
      const basePath = compileBasePath(key, where);
      if (mappings.some((m) => m.matched.basePath === basePath)) {
        throw new ConfigError(`${where}: the same base path as another mapping of this domain`);
      }
      const http = compileHttpApiMapping(value, where);
      if (http !== undefined) {
        // An HTTP API's mapping names its stage: never in the path.
        const matched: MatchedMapping = {
          domainName,
          basePath,
          basePathMatched: basePath === '' ? '(none)' : basePath.slice(1),
          stageInPath: false,
        };
        if (http.stage !== undefined) matched.stage = http.stage;
        mappings.push({ gateway: http.gateway, matched });
        checks.push(http.check);
        continue;
      }
      const bare = typeof value === 'function';
      const mapping = bare ? { restApi: value } : (value as BasePathMapping);
      if (typeof mapping?.restApi !== 'function') {
        throw new ConfigError(`${where}.restApi: what apiGateway() returned (or httpApi() as the mapping)`);
      }
      if (
        mapping.stage !== undefined &&
        (typeof mapping.stage !== 'string' || !STAGE_NAME.test(mapping.stage))
      ) {
        throw new ConfigError(`${where}.stage: a stage name (letters, digits, - and _)`);
      }
      const matched: MatchedMapping = {
        domainName,
        basePath,
        basePathMatched: basePath === '' ? '(none)' : basePath.slice(1),
        stageInPath: !bare && mapping.stage === undefined,
      };
      if (mapping.stage !== undefined) matched.stage = mapping.stage;
      mappings.push({ gateway: mapping.restApi, matched });
      checks.push(() => checkStage(mapping, where));
    }
    // Longest first, so `v1/orders` is tried before `v1`; the root `''` sorts last.
    mappings.sort((a, b) => b.matched.basePath.length - a.matched.basePath.length);
    domains.set(domainName, { mappings });
  }
  return { domains, checks };
}

/** `'v1/orders'` → `/v1/orders`; `''` and `'(none)'` → `''` (the root). */
function compileBasePath(key: string, where: string): string {
  if (key === '' || key === '(none)') return '';
  const segments = key.split('/');
  if (!segments.every((segment) => BASE_PATH_SEGMENT.test(segment))) {
    throw new ConfigError(
      `${where}: a base path such as 'v1' or 'v1/orders' (letters, digits and $-_.+!*'() between slashes, none leading or trailing)`,
    );
  }
  return `/${key}`;
}

/** The mapping's stage must be the one its API serves, as AWS refuses a mapping to a stage the API lacks. */
async function checkStage(mapping: BasePathMapping, where: string): Promise<void> {
  await mapping.restApi.ready;
  if (mapping.stage === undefined) return;
  const compiled = (mapping.restApi as unknown as { [COMPILED_API]?: () => Promise<CompiledApi> })[
    COMPILED_API
  ];
  if (compiled === undefined) return;
  const api = await compiled();
  // With `stages`, any of them; else the one stage the gateway serves.
  const served =
    api.stages === undefined
      ? [api.identity.stageName]
      : [...api.stages.values()].map((s) => s.identity.stageName);
  if (!served.includes(mapping.stage)) {
    throw new ConfigError(
      `${where}.stage: '${mapping.stage}' is not a stage of this API (it serves '${served.join("', '")}')`,
    );
  }
}

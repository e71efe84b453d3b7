/**
 * An API's resource policy (`x-amazon-apigateway-policy`, the RestApi's `Policy`), compiled once
 * and evaluated for `execute-api:Invoke` on each request's methodArn, as IAM evaluates it: any
 * applicable Deny wins, else an applicable Allow, else an implicit deny.
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 *
 * Conditions are evaluated on what a local gateway knows of a request (source IP, time, TLS,
 * headers, the signer). A condition on anything else (`aws:SourceVpce`, `aws:PrincipalOrgID`, …)
 * cannot be decided here, so the policy refuses to compile unless `resourcePolicyContext` gives
 * the key a value: guessing either way would open or close the API by accident.
 */
import { ConfigError } from '../config/config-error.js';
import type { ApiIdentity, GatewayRequest } from '../http/gateway-request.js';
import type { PolicyDecision } from './evaluate-policy.js';
import { wildcardMatch } from './evaluate-policy.js';
import { type CidrBlock, cidrContains, parseCidr, parseIp } from './ip-address.js';

/** Who is calling, as the resource policy sees it: nobody (no IAM signature), or a signer. */
export type PolicyCaller =
  | { kind: 'anonymous' }
  | {
      kind: 'iam';
      /** `arn:aws:iam::{account}:user/{name}` or `arn:aws:sts::{account}:assumed-role/{role}/{session}`. */
      arn: string;
      accountId: string;
      /** `aws:userid`: `AIDA…`, or `AROA…:{session}`. */
      userId: string;
    };

export const ANONYMOUS: PolicyCaller = { kind: 'anonymous' };

/** What one evaluation reads. */
export interface PolicyRequest {
  methodArn: string;
  request: GatewayRequest;
  caller: PolicyCaller;
  /** ms since the epoch, from the gateway's clock. */
  now: number;
}

type ConditionTest = (keys: ContextKeys) => boolean;

interface CompiledStatement {
  deny: boolean;
  principals: PrincipalSet;
  notPrincipal: boolean;
  resources: string[];
  notResource: boolean;
  conditions: ConditionTest[];
}

interface PrincipalSet {
  anyone: boolean;
  accounts: Set<string>;
  arns: Set<string>;
  /** `{account}:{roleName}`: a role principal covers its assumed-role sessions. */
  roles: Set<string>;
}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const INVOKE = 'execute-api:Invoke';

/**
 * Condition keys taken from each request (or from the API itself); they cannot be set in
 * `resourcePolicyContext`, except `aws:SecureTransport` (TLS may end in a proxy in front).
 */
const DERIVED_KEYS = new Set([
  'aws:sourceip',
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:useragent',
  'aws:referer',
  'aws:principaltype',
  'aws:userid',
  'aws:username',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:resourceaccount',
  'aws:requestedregion',
]);
const OVERRIDABLE_KEYS = new Set(['aws:securetransport']);
/** Keys about the signer: a value given for them holds for signed callers, and is absent for anonymous ones. */
const PRINCIPAL_SCOPED = /^aws:(principalorgid|principalorgpaths|principaltag\/.+|principalisawsservice)$/;

/** The request's condition keys, read lazily (most statements read one or two). */
class ContextKeys {
  constructor(
    private readonly at: PolicyRequest,
    private readonly api: ApiIdentity,
    private readonly given: ReadonlyMap<string, string | null>,
  ) {}

  /** The key's value, or undefined when the request context lacks it. */
  get(key: string): string | undefined {
    const { request, caller, now } = this.at;
    const given = this.given.get(key);
    if (given !== undefined && (OVERRIDABLE_KEYS.has(key) || !DERIVED_KEYS.has(key))) {
      if (PRINCIPAL_SCOPED.test(key) && caller.kind === 'anonymous') return undefined;
      return given ?? undefined;
    }
    switch (key) {
      case 'aws:sourceip':
        return request.sourceIp;
      case 'aws:currenttime':
        return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      case 'aws:epochtime':
        return String(Math.floor(now / 1000));
      case 'aws:securetransport':
        // The gateway sets X-Forwarded-Proto from the socket, over whatever the client sent.
        return request.headers.lower.get('x-forwarded-proto') === 'https' ? 'true' : 'false';
      case 'aws:useragent':
        return request.headers.lower.get('user-agent');
      case 'aws:referer':
        return request.headers.lower.get('referer');
      case 'aws:principaltype':
        return caller.kind === 'anonymous' ? 'Anonymous' : assumedRole(caller.arn) ? 'AssumedRole' : 'User';
      case 'aws:userid':
        return caller.kind === 'anonymous' ? 'anonymous' : caller.userId;
      case 'aws:username':
        return caller.kind === 'iam' && !assumedRole(caller.arn)
          ? caller.arn.slice(caller.arn.lastIndexOf('/') + 1)
          : undefined;
      case 'aws:principalarn':
        return caller.kind === 'anonymous' ? undefined : principalArn(caller.arn);
      case 'aws:principalaccount':
        return caller.kind === 'anonymous' ? undefined : caller.accountId;
      case 'aws:resourceaccount':
        return this.api.accountId;
      case 'aws:requestedregion':
        return this.api.region;
      default:
        return undefined;
    }
  }
}

const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const assumedRole = (arn: string) => ASSUMED_ROLE.exec(arn);

/** `aws:PrincipalArn`: an assumed-role session is known by its role's ARN. */
function principalArn(arn: string): string {
  const m = assumedRole(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function list(value: unknown, where: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new ConfigError(`${where}: must not be empty`);
  for (const item of items) {
    if (typeof item !== 'string' || item === '')
      throw new ConfigError(`${where}: must be a string or a list of strings`);
  }
  return items as string[];
}

/** Condition values: strings, numbers or booleans, one or a list. */
function conditionValues(value: unknown, where: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new ConfigError(`${where}: no values`);
  return items.map((item) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
      return String(item);
    throw new ConfigError(`${where}: values are strings, numbers or booleans`);
  });
}

export interface ResourcePolicyOptions {
  identity: ApiIdentity;
  /** `resourcePolicyContext`: values for condition keys this gateway cannot know. */
  context?: Record<string, string | null>;
  /** Told once at startup about Resource ARNs of another API, which match nothing here. */
  warn?: (message: string) => void;
}

/**
 * The resource policy, compiled: throws ConfigError for a document API Gateway would refuse,
 * and for a statement whose condition cannot be evaluated here.
 * @example
 * const policy = compileResourcePolicy({ Version: '2012-10-17', Statement: [...] }, { identity });
 * policy.evaluate({ methodArn, request, caller: ANONYMOUS, now: Date.now() }); // 'allow' | …
 */
export function compileResourcePolicy(document: unknown, options: ResourcePolicyOptions): ResourcePolicy {
  return new ResourcePolicy(document, options);
}

export class ResourcePolicy {
  private readonly statements: CompiledStatement[] = [];
  private readonly given = new Map<string, string | null>();
  private readonly identity: ApiIdentity;

  constructor(input: unknown, options: ResourcePolicyOptions) {
    this.identity = options.identity;
    for (const [key, value] of Object.entries(options.context ?? {})) {
      const lower = key.toLowerCase();
      if (DERIVED_KEYS.has(lower) && !OVERRIDABLE_KEYS.has(lower)) {
        throw new ConfigError(
          `resourcePolicyContext["${key}"]: comes from each request and cannot be set (only keys this gateway cannot know, and aws:SecureTransport)`,
        );
      }
      if (value !== null && typeof value !== 'string') {
        throw new ConfigError(
          `resourcePolicyContext["${key}"]: must be a string, or null for a key absent from every request`,
        );
      }
      this.given.set(lower, value);
    }
    let document = input;
    if (typeof document === 'string') {
      try {
        document = JSON.parse(document);
      } catch (error) {
        throw new ConfigError(`resourcePolicy: not a JSON policy document (${(error as Error).message})`);
      }
    }
    if (!isObject(document)) throw new ConfigError('resourcePolicy: must be a policy document object');
    for (const key of Object.keys(document)) {
      if (!DOCUMENT_KEYS.has(key))
        throw new ConfigError(`resourcePolicy: unknown field "${key}" (allowed: Version, Id, Statement)`);
    }
    const version = document.Version ?? '2008-10-17';
    if (version !== '2012-10-17' && version !== '2008-10-17') {
      throw new ConfigError(
        `resourcePolicy.Version: ${JSON.stringify(version)} (IAM knows 2012-10-17 and 2008-10-17)`,
      );
    }
    const raw = document.Statement;
    const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    if (statements.length === 0) throw new ConfigError('resourcePolicy.Statement: no statements');
    statements.forEach((statement, i) => {
      const where = `resourcePolicy.Statement[${i}]${isObject(statement) && typeof statement.Sid === 'string' ? ` (Sid "${statement.Sid}")` : ''}`;
      const compiled = this.compileStatement(statement, where, version === '2012-10-17', options.warn);
      if (compiled !== undefined) this.statements.push(compiled);
    });
  }

  /** The decision for one request: 'allow', 'explicit-deny' or 'implicit-deny'. */
  evaluate(at: PolicyRequest): PolicyDecision {
    let keys: ContextKeys | undefined;
    let allowed = false;
    for (const s of this.statements) {
      if (principalMatches(s.principals, at.caller) === s.notPrincipal) continue;
      let hit = false;
      for (const r of s.resources) {
        if (wildcardMatch(r, at.methodArn)) {
          hit = true;
          break;
        }
      }
      if (hit === s.notResource) continue;
      if (s.conditions.length > 0) {
        keys ??= new ContextKeys(at, this.identity, this.given);
        const context = keys;
        if (!s.conditions.every((test) => test(context))) continue;
      }
      if (s.deny) return 'explicit-deny';
      allowed = true;
    }
    return allowed ? 'allow' : 'implicit-deny';
  }

  private compileStatement(
    statement: unknown,
    where: string,
    variables: boolean,
    warn: ((message: string) => void) | undefined,
  ): CompiledStatement | undefined {
    if (!isObject(statement)) throw new ConfigError(`${where}: must be an object`);
    for (const key of Object.keys(statement)) {
      if (!STATEMENT_KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
    }
    const s = statement;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw new ConfigError(`${where}.Effect: must be "Allow" or "Deny"`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      throw new ConfigError(`${where}: give one of Action and NotAction`);
    if ((s.Resource === undefined) === (s.NotResource === undefined))
      throw new ConfigError(`${where}: give one of Resource and NotResource`);
    if ((s.Principal === undefined) === (s.NotPrincipal === undefined))
      throw new ConfigError(`${where}: a resource policy statement gives one of Principal and NotPrincipal`);
    const notAction = s.Action === undefined;
    const actions = list(s.Action ?? s.NotAction, `${where}.${notAction ? 'NotAction' : 'Action'}`);
    const notResource = s.Resource === undefined;
    const resourceField = `${where}.${notResource ? 'NotResource' : 'Resource'}`;
    const resources = list(s.Resource ?? s.NotResource, resourceField).map((r) =>
      this.expandResource(r, resourceField, variables),
    );
    const notPrincipal = s.Principal === undefined;
    const principals = readPrincipal(
      s.Principal ?? s.NotPrincipal,
      `${where}.${notPrincipal ? 'NotPrincipal' : 'Principal'}`,
    );
    // Actions compare case-insensitively; a statement about other actions never applies here.
    const invokes = actions.some((a) => wildcardMatch(a, INVOKE, true));
    if (invokes === notAction) return undefined;
    if (warn !== undefined) this.warnForeignResources(resources, resourceField, warn);
    const conditions =
      s.Condition === undefined
        ? []
        : this.compileConditions(s.Condition, `${where}.Condition`, variables, warn);
    return { deny: s.Effect === 'Deny', principals, notPrincipal, resources, notResource, conditions };
  }

  /** `execute-api:/stage/GET/path`, API Gateway's shorthand, is this API's ARN. */
  private expandResource(resource: string, where: string, variables: boolean): string {
    if (variables && resource.includes('${')) {
      throw new ConfigError(`${where}: policy variables (\${…}) are not supported here (${resource})`);
    }
    if (!resource.startsWith('execute-api:/')) return resource;
    const { region, accountId, restApiId } = this.identity;
    return `arn:aws:execute-api:${region}:${accountId}:${restApiId}${resource.slice('execute-api:'.length)}`;
  }

  private warnForeignResources(resources: string[], where: string, warn: (message: string) => void): void {
    const { region, accountId, restApiId } = this.identity;
    const ours = `arn:aws:execute-api:${region}:${accountId}:${restApiId}`;
    for (const r of resources) {
      if (!r.startsWith('arn:') || !r.includes(':execute-api:')) continue;
      const slash = r.indexOf('/');
      const head = slash === -1 ? r : r.slice(0, slash);
      if (!wildcardMatch(head, ours) && !(slash === -1 && wildcardMatch(r, `${ours}/x`))) {
        warn(
          `apigw-express: ${where}: ${r} names another API than ${ours}; it matches no request here (set restApiId, accountId and region to the deployed API's, or write execute-api:/…)`,
        );
      }
    }
  }

  private compileConditions(
    block: unknown,
    where: string,
    variables: boolean,
    warn: ((message: string) => void) | undefined,
  ): ConditionTest[] {
    if (!isObject(block)) throw new ConfigError(`${where}: must be an object of operator → { key: values }`);
    const tests: ConditionTest[] = [];
    for (const [operator, entries] of Object.entries(block)) {
      if (!isObject(entries))
        throw new ConfigError(`${where}.${operator}: must be an object of key → values`);
      for (const [key, value] of Object.entries(entries)) {
        const at = `${where}.${operator}["${key}"]`;
        const lower = key.toLowerCase();
        if (!DERIVED_KEYS.has(lower) && !this.given.has(lower)) {
          throw new ConfigError(
            `${at}: condition key ${key} cannot be known by a local gateway, so this statement cannot be evaluated; give its value in the resourcePolicyContext option (e.g. resourcePolicyContext: { "${key}": "…" }, or null for a request that carries no such key)`,
          );
        }
        if (lower === 'aws:securetransport' && !this.given.has(lower)) {
          warn?.(
            `apigw-express: ${at}: aws:SecureTransport is read from this server's socket (false over plain HTTP, while AWS serves HTTPS only); set resourcePolicyContext: { "aws:SecureTransport": "true" } when TLS ends in front of it`,
          );
        }
        const values = conditionValues(value, at);
        if (variables && values.some((v) => v.includes('${'))) {
          throw new ConfigError(`${at}: policy variables (\${…}) are not supported here`);
        }
        tests.push(compileTest(operator, lower, values, at));
      }
    }
    return tests;
  }
}

function readPrincipal(value: unknown, where: string): PrincipalSet {
  const set: PrincipalSet = { anyone: value === '*', accounts: new Set(), arns: new Set(), roles: new Set() };
  if (set.anyone) return set;
  if (!isObject(value)) throw new ConfigError(`${where}: "*" or an object such as { "AWS": [...] }`);
  for (const [type, ids] of Object.entries(value)) {
    const names = list(ids, `${where}.${type}`);
    if (type === 'Service' || type === 'Federated' || type === 'CanonicalUser') continue; // never a caller here
    if (type !== 'AWS') throw new ConfigError(`${where}: unknown principal type "${type}"`);
    for (const name of names) addPrincipal(set, name, where);
  }
  return set;
}

const ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const ROLE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const USER_OR_SESSION = /^arn:aws[a-z-]*:(iam::\d{12}:user\/.+|sts::\d{12}:assumed-role\/[^/]+\/[^/]+)$/;

function addPrincipal(set: PrincipalSet, name: string, where: string): void {
  if (name === '*') {
    set.anyone = true;
    return;
  }
  if (/^\d{12}$/.test(name)) {
    set.accounts.add(name);
    return;
  }
  const root = ROOT.exec(name);
  if (root !== null) {
    set.accounts.add(root[1]);
    return;
  }
  const role = ROLE.exec(name);
  if (role !== null) {
    set.roles.add(`${role[1]}:${role[2]}`);
    return;
  }
  if (USER_OR_SESSION.test(name)) {
    set.arns.add(name);
    return;
  }
  throw new ConfigError(
    `${where}.AWS: ${JSON.stringify(name)} is not a principal ("*", an account id, or a user, role or assumed-role ARN)`,
  );
}

function principalMatches(set: PrincipalSet, caller: PolicyCaller): boolean {
  if (set.anyone) return true;
  if (caller.kind === 'anonymous') return false;
  if (set.accounts.has(caller.accountId) || set.arns.has(caller.arn)) return true;
  const role = assumedRole(caller.arn);
  return role !== null && set.roles.has(`${role[2]}:${role[3]}`);
}

// --- condition operators (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)

type Matcher = (actual: string) => boolean;

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

function compileTest(operator: string, key: string, values: string[], where: string): ConditionTest {
  if (operator === 'Null') {
    const wantsAbsent = values.map((v) => {
      const lower = v.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        throw new ConfigError(`${where}: Null takes "true" or "false"`);
      return lower === 'true';
    });
    return (keys) => {
      const absent = keys.get(key) === undefined;
      return wantsAbsent.some((w) => w === absent);
    };
  }
  if (/^For(Any|All)Value:/.test(operator)) {
    throw new ConfigError(
      `${where}: set operator ${operator}: none of the keys known here holds several values; use the operator without ${operator.slice(0, operator.indexOf(':') + 1)}`,
    );
  }
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const negated = NEGATED.has(base);
  const matchers = values.map((v) => compileMatcher(base, v, where));
  return (keys) => {
    const actual = keys.get(key);
    // A missing key: a positive operator fails, a negated one holds; …IfExists holds either way.
    if (actual === undefined) return ifExists || negated;
    const any = matchers.some((m) => m(actual));
    return negated ? !any : any;
  };
}

function compileMatcher(operator: string, value: string, where: string): Matcher {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return (actual) => actual === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase': {
      const lower = value.toLowerCase();
      return (actual) => actual.toLowerCase() === lower;
    }
    case 'StringLike':
    case 'StringNotLike':
      return (actual) => wildcardMatch(value, actual);
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n))
        throw new ConfigError(`${where}: ${value} is not a number`);
      const compare = comparison(operator.slice('Numeric'.length));
      return (actual) => {
        const a = Number(actual);
        return actual.trim() !== '' && Number.isFinite(a) && compare(a, n);
      };
    }
    case 'DateEquals':
    case 'DateNotEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals': {
      const t = parseDate(value);
      if (t === undefined)
        throw new ConfigError(`${where}: ${value} is not a date (ISO 8601 or epoch seconds)`);
      const compare = comparison(operator.slice('Date'.length));
      return (actual) => {
        const a = parseDate(actual);
        return a !== undefined && compare(a, t);
      };
    }
    case 'Bool': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        throw new ConfigError(`${where}: Bool takes "true" or "false"`);
      return (actual) => actual.toLowerCase() === lower;
    }
    case 'IpAddress':
    case 'NotIpAddress': {
      const block: CidrBlock | undefined = parseCidr(value);
      if (block === undefined) throw new ConfigError(`${where}: ${value} is not an IP address or CIDR block`);
      return (actual) => {
        const address = parseIp(actual);
        return address !== undefined && cidrContains(block, address);
      };
    }
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return (actual) => arnMatches(value, actual);
    default:
      throw new ConfigError(`${where}: condition operator ${operator} is not supported here`);
  }
}

function comparison(name: string): (a: number, b: number) => boolean {
  switch (name) {
    case 'Equals':
    case 'NotEquals':
      return (a, b) => a === b;
    case 'LessThan':
      return (a, b) => a < b;
    case 'LessThanEquals':
      return (a, b) => a <= b;
    case 'GreaterThan':
      return (a, b) => a > b;
    default:
      return (a, b) => a >= b;
  }
}

/** ms since the epoch from ISO 8601 or epoch seconds. */
function parseDate(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

/** ArnLike: each of the six `:`-separated parts matched on its own, wildcards within a part. */
function arnMatches(pattern: string, arn: string): boolean {
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (p === undefined || a === undefined) return false;
  return p.every((part, i) => wildcardMatch(part, a[i]));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * IAM policy evaluation for Lambda authorizer results, as API Gateway applies the returned
 * `policyDocument` to a request's methodArn: an explicit Deny wins, else an Allow must match,
 * else the request is denied. Only `execute-api:Invoke` is asked for.
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 */

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  /** Patterns of `Action`, or of `NotAction` when `notAction` is set. */
  actions: string[];
  notAction: boolean;
  /** Patterns of `Resource`, or of `NotResource` when `notResource` is set. */
  resources: string[];
  notResource: boolean;
  /** A `Condition` block: not evaluated, so it never helps an Allow and always lets a Deny apply. */
  conditional: boolean;
}

export interface Policy {
  statements: PolicyStatement[];
}

const INVOKE = 'execute-api:Invoke';

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

/**
 * A returned `policyDocument`, checked: `Statement` one object or a list, each with `Effect`
 * `Allow` or `Deny` (IAM's exact spelling), one of `Action`/`NotAction` and one of
 * `Resource`/`NotResource` as a string or a list of strings. Anything else is undefined: API
 * Gateway cannot parse it (500 AuthorizerConfigurationException).
 */
export function parsePolicyDocument(document: unknown): Policy | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const raw = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : undefined;
  if (list === undefined || list.length === 0) return undefined;
  const statements: PolicyStatement[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const s = item as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return undefined;
    if ((s.Action === undefined) === (s.NotAction === undefined)) return undefined;
    if ((s.Resource === undefined) === (s.NotResource === undefined)) return undefined;
    const actions = stringList(s.Action ?? s.NotAction);
    const resources = stringList(s.Resource ?? s.NotResource);
    if (actions === undefined || resources === undefined) return undefined;
    statements.push({
      effect: s.Effect,
      actions,
      notAction: s.Action === undefined,
      resources,
      notResource: s.Resource === undefined,
      conditional: s.Condition !== undefined,
    });
  }
  return { statements };
}

/**
 * IAM's wildcard match: `*` any run of characters (`/` and `:` included), `?` exactly one,
 * everything else literal. Iterative with one backtrack point, so linear in practice and never
 * exponential, whatever a policy or a URL holds.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = vi;
    } else if (star !== -1) {
      pi = star + 1;
      vi = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function statementApplies(statement: PolicyStatement, methodArn: string): boolean {
  // Actions compare case-insensitively in IAM; resources (ARNs) case-sensitively.
  const actionHit = statement.actions.some((a) => wildcardMatch(a, INVOKE, true));
  const resourceHit = statement.resources.some((r) => wildcardMatch(r, methodArn));
  return (
    (statement.notAction ? !actionHit : actionHit) && (statement.notResource ? !resourceHit : resourceHit)
  );
}

/**
 * The decision for one methodArn: any applicable Deny (or a conditional Deny, which we cannot
 * rule out) → explicit deny; else any applicable unconditional Allow → allow; else implicit deny.
 * @example evaluatePolicy(parsePolicyDocument(doc)!, 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/pets')
 */
export function evaluatePolicy(policy: Policy, methodArn: string): PolicyDecision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statementApplies(statement, methodArn)) continue;
    if (statement.effect === 'Deny') return 'explicit-deny';
    if (!statement.conditional) allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

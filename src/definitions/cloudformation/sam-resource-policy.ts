import { ConfigError } from '../../config/config-error.js';
import { isObject } from './api-parts.js';

type Statement = Record<string, unknown>;

const KEYS = new Set([
  'AwsAccountWhitelist',
  'AwsAccountBlacklist',
  'IpRangeWhitelist',
  'IpRangeBlacklist',
  'SourceVpcWhitelist',
  'SourceVpcBlacklist',
  'IntrinsicVpcWhitelist',
  'IntrinsicVpceWhitelist',
  'IntrinsicVpcBlacklist',
  'IntrinsicVpceBlacklist',
  'CustomStatements',
]);

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * SAM's `Auth.ResourcePolicy` (API-wide or on one `Api` event) written into the API's resource
 * policy statement by statement, as SAM's translator writes `x-amazon-apigateway-policy`
 * (samtranslator `swagger/swagger.py` add_resource_policy, add_custom_statements): each list a
 * pair of statements on `execute-api:/{stage}/{METHOD}/{path}` for every method of the path,
 * path parameters as `*`, ANY as `*`; a statement already there is not added twice.
 */
export class SamResourcePolicy {
  private readonly statements: unknown[] = [];

  /** Starts from the definition body's own `x-amazon-apigateway-policy`, if any. */
  constructor(existing: unknown) {
    if (isObject(existing) && existing.Statement !== undefined)
      this.statements.push(...asList(existing.Statement));
  }

  /** The policy document, or undefined when nothing was written. */
  document(): Record<string, unknown> | undefined {
    return this.statements.length === 0
      ? undefined
      : { Version: '2012-10-17', Statement: [...this.statements] };
  }

  /** One `ResourcePolicy` applied to a path whose methods are `methods`. */
  add(policy: unknown, path: string, methods: string[], stage: string, where: string): void {
    if (!isObject(policy)) throw new ConfigError(`${where}: must be a map (ResourcePolicyStatement)`);
    for (const key of Object.keys(policy)) {
      if (!KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
    }
    const resources = methodResources(path, methods, stage);
    if (resources.length === 0) return;
    if (nonEmpty(policy.AwsAccountWhitelist)) this.accounts(policy.AwsAccountWhitelist, 'Allow', resources);
    if (nonEmpty(policy.AwsAccountBlacklist)) this.accounts(policy.AwsAccountBlacklist, 'Deny', resources);
    if (nonEmpty(policy.IpRangeWhitelist))
      this.pair('NotIpAddress', { 'aws:SourceIp': asList(policy.IpRangeWhitelist) }, resources);
    if (nonEmpty(policy.IpRangeBlacklist))
      this.pair('IpAddress', { 'aws:SourceIp': asList(policy.IpRangeBlacklist) }, resources);
    const black = vpcCondition(
      policy.SourceVpcBlacklist,
      policy.IntrinsicVpcBlacklist,
      policy.IntrinsicVpceBlacklist,
      `${where}.SourceVpcBlacklist`,
    );
    if (black !== undefined) this.pair('StringEquals', black, resources);
    const white = vpcCondition(
      policy.SourceVpcWhitelist,
      policy.IntrinsicVpcWhitelist,
      policy.IntrinsicVpceWhitelist,
      `${where}.SourceVpcWhitelist`,
    );
    if (white !== undefined) this.pair('StringNotEquals', white, resources);
  }

  /** `CustomStatements`: appended as given. */
  addCustom(statements: unknown): void {
    if (statements === undefined || statements === null) return;
    for (const statement of asList(statements)) this.push(statement);
  }

  private accounts(accounts: unknown, effect: 'Allow' | 'Deny', resources: string[]): void {
    this.push({
      Effect: effect,
      Action: 'execute-api:Invoke',
      Resource: resources,
      Principal: { AWS: asList(accounts) },
    });
  }

  /** An Allow for everyone, and a Deny under the condition. */
  private pair(operator: string, condition: Record<string, unknown>, resources: string[]): void {
    this.push({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' });
    this.push({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      Resource: resources,
      Principal: '*',
      Condition: { [operator]: condition },
    });
  }

  private push(statement: unknown): void {
    const text = JSON.stringify(statement);
    if (!this.statements.some((s) => JSON.stringify(s) === text))
      this.statements.push(statement as Statement);
  }
}

const nonEmpty = (value: unknown): boolean =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** `execute-api:/{stage}/{METHOD}{path}` per method; `{id}` and `{proxy+}` become `*` (swagger.py). */
function methodResources(path: string, methods: string[], stage: string): string[] {
  const starred = path.replace(/\{([a-zA-Z0-9._-]+\+?)\}/g, '*');
  const tail = starred === '/' ? '/' : starred.replace(/\/+$/, '');
  return methods.map((m) => `execute-api:/${stage}/${m === 'ANY' ? '*' : m}${tail}`);
}

/** `aws:SourceVpc` / `aws:SourceVpce` values from the string list (by prefix) and the intrinsic lists. */
function vpcCondition(
  strings: unknown,
  intrinsicVpc: unknown,
  intrinsicVpce: unknown,
  where: string,
): Record<string, unknown[]> | undefined {
  const condition: Record<string, unknown[]> = {};
  const add = (key: string, values: unknown[]) => {
    if (values.length > 0) condition[key] = [...(condition[key] ?? []), ...values];
  };
  if (strings !== undefined && strings !== null) {
    const list = asList(strings);
    if (list.some((v) => typeof v !== 'string')) {
      throw new ConfigError(
        `${where}: must be a list of strings (use the Intrinsic… lists for intrinsic functions)`,
      );
    }
    add(
      'aws:SourceVpc',
      list.filter((v) => (v as string).startsWith('vpc-')),
    );
    add(
      'aws:SourceVpce',
      list.filter((v) => (v as string).startsWith('vpce-')),
    );
  }
  if (intrinsicVpc !== undefined && intrinsicVpc !== null) add('aws:SourceVpc', asList(intrinsicVpc));
  if (intrinsicVpce !== undefined && intrinsicVpce !== null) add('aws:SourceVpce', asList(intrinsicVpce));
  return Object.keys(condition).length > 0 ? condition : undefined;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { parseTemplate } from './yaml-tags.js';

/** A template resource as CloudFormation reads it. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
}

/** What the resolver reads from a template. */
export interface TemplateParts {
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
}

/** Values for `Parameters` and the pseudo parameters (`AWS::Region`, `AWS::AccountId`…), as strings. */
export type ParameterValues = Record<string, string>;

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
/** A user pool of the template is `{region}_{LogicalId}`: the id `userPools` keys its signing keys by. */
const USER_POOL_TYPE = 'AWS::Cognito::UserPool';

/** `AWS::NoValue` removes the property it stands in: resolving to this drops it. */
const NO_VALUE = Symbol('AWS::NoValue');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single `Ref`/`Fn::*`/`Condition` key of an intrinsic function object, if it is one. */
function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

/**
 * Resolves CloudFormation's intrinsic functions as far as an API needs them, at startup: a
 * parameter is its override or `Default`; a resource's `Ref` is its logical id (a Lambda
 * function's name in our options), a function's `Arn` the Lambda ARN naming it; other
 * attributes stay a readable `Id.Attribute` token. Every failure is a ConfigError naming where
 * in the template it stands.
 * @example
 * new IntrinsicResolver(template, { 'AWS::Region': 'eu-west-1' })
 *   .resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' }, 'Resources.X.Properties.Arn')
 */
export class IntrinsicResolver {
  private readonly pseudo: ParameterValues;
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    private readonly template: TemplateParts,
    private readonly overrides: ParameterValues = {},
    /** Resources a transform adds (SAM's `ServerlessRestApi`), resolvable by `Ref` as the rest. */
    private readonly implicitResources: Record<string, string> = {},
    /** Where `AWS::Include` locations are read from. */
    private readonly baseDir = process.cwd(),
    /** `Fn::ImportValue` export name → value: other stacks' outputs, as the user maps them. */
    private readonly importValues: Record<string, string> = {},
  ) {
    const region = overrides['AWS::Region'] ?? 'us-east-1';
    this.pseudo = {
      'AWS::Region': region,
      'AWS::AccountId': overrides['AWS::AccountId'] ?? '123456789012',
      'AWS::Partition': overrides['AWS::Partition'] ?? (region.startsWith('cn-') ? 'aws-cn' : 'aws'),
      'AWS::StackName': overrides['AWS::StackName'] ?? 'local-stack',
      'AWS::StackId':
        overrides['AWS::StackId'] ??
        `arn:aws:cloudformation:${region}:123456789012:stack/local-stack/00000000-0000-0000-0000-000000000000`,
      'AWS::URLSuffix':
        overrides['AWS::URLSuffix'] ?? (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'),
    };
  }

  /** The template with every intrinsic function in `value` replaced by its value. */
  resolve(value: unknown, where: string): unknown {
    const resolved = this.walk(value, where);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** `resolve`, then insists on a string (numbers and booleans are turned into one). */
  resolveString(value: unknown, where: string): string {
    const resolved = this.resolve(value, where);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new ConfigError(`${where}: must resolve to a string (got ${JSON.stringify(resolved)})`);
  }

  /** Whether the named `Conditions` entry holds. */
  condition(name: string, where: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const conditions = this.template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) throw new ConfigError(`${where}: unknown condition "${name}"`);
    this.conditionCache.set(name, false); // a condition naming itself resolves false, not forever
    const holds = this.truth(conditions[name], `Conditions.${name}`);
    this.conditionCache.set(name, holds);
    return holds;
  }

  /** The Lambda ARN standing for the template's function `logicalId` (its name in our options). */
  functionArn(logicalId: string): string {
    const { 'AWS::Partition': partition, 'AWS::Region': region, 'AWS::AccountId': account } = this.pseudo;
    return `arn:${partition}:lambda:${region}:${account}:function:${logicalId}`;
  }

  get region(): string {
    return this.pseudo['AWS::Region'] as string;
  }

  /** API Gateway's invocation URI for a Lambda function ARN, as SAM and `cdk synth` write it. */
  invocationUri(functionArn: string): string {
    return `arn:${this.pseudo['AWS::Partition']}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
  }

  private walk(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, i) => this.walk(item, `${where}[${i}]`)).filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const fn = intrinsicName(value);
    if (fn !== undefined) return this.call(fn, value[fn], `${where}.${fn}`);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.walk(item, `${where}.${key}`);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private call(fn: string, arg: unknown, where: string): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(this.walk(arg, where), where);
      case 'Condition':
        return this.condition(String(arg), where);
      case 'Fn::GetAtt':
        return this.getAtt(this.walk(arg, where), where);
      case 'Fn::Sub':
        return this.sub(arg, where);
      case 'Fn::Join': {
        const [delimiter, list] = this.args(arg, 2, where);
        const items = this.walk(list, `${where}[1]`);
        if (!Array.isArray(items)) throw new ConfigError(`${where}: the second item must be a list`);
        return items
          .map((item, i) => this.scalar(item, `${where}[1][${i}]`))
          .join(String(this.walk(delimiter, where)));
      }
      case 'Fn::Select': {
        const [index, list] = this.args(arg, 2, where);
        const items = this.walk(list, `${where}[1]`);
        const i = Number(this.walk(index, `${where}[0]`));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          throw new ConfigError(`${where}: index ${i} is outside the list ${JSON.stringify(items)}`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.args(arg, 2, where);
        return this.scalar(this.walk(source, `${where}[1]`), `${where}[1]`).split(
          String(this.walk(delimiter, where)),
        );
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = this.args(arg, 3, where);
        return this.condition(String(name), where)
          ? this.walk(whenTrue, `${where}[1]`)
          : this.walk(whenFalse, `${where}[2]`);
      }
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
        return this.truth({ [fn]: arg }, where.slice(0, -fn.length - 1));
      case 'Fn::FindInMap': {
        const [map, top, second] = this.args(arg, 3, where).map((a, i) =>
          this.scalar(this.walk(a, where), `${where}[${i}]`),
        );
        const found = this.template.Mappings?.[map as string]?.[top as string]?.[second as string];
        if (found === undefined)
          throw new ConfigError(`${where}: Mappings.${map}.${top}.${second} does not exist`);
        return this.walk(found, `Mappings.${map}.${top}.${second}`);
      }
      case 'Fn::Base64':
        return Buffer.from(this.scalar(this.walk(arg, where), where)).toString('base64');
      case 'Fn::GetAZs': {
        const region = this.walk(arg, where) || this.region;
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      case 'Fn::Length': {
        const items = this.walk(arg, where);
        if (!Array.isArray(items)) throw new ConfigError(`${where}: must be a list`);
        return items.length;
      }
      case 'Fn::Transform':
        return this.walk(this.include(arg, where), where);
      case 'Fn::ToJsonString':
        return JSON.stringify(this.walk(arg, where));
      case 'Fn::ImportValue': {
        const name = this.scalar(this.walk(arg, where), where);
        if (Object.hasOwn(this.importValues, name)) return this.importValues[name];
        throw new ConfigError(
          `${where}: "${name}" is another stack's export, unknown here (give its value in importValues)`,
        );
      }
      default:
        throw new ConfigError(`${where}: ${fn} cannot be resolved outside CloudFormation`);
    }
  }

  /** `Fn::Transform` `AWS::Include` of a local file (a DefinitionBody kept in its own file). */
  private include(arg: unknown, where: string): unknown {
    const location = isObject(arg) && isObject(arg.Parameters) ? arg.Parameters.Location : undefined;
    if (
      !isObject(arg) ||
      arg.Name !== 'AWS::Include' ||
      typeof location !== 'string' ||
      location.startsWith('s3://')
    ) {
      throw new ConfigError(`${where}: only AWS::Include of a local file can be resolved here`);
    }
    const file = path.resolve(this.baseDir, location);
    try {
      return parseTemplate(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(
        `${where}.Parameters.Location: cannot read ${file} (${(error as Error).message})`,
      );
    }
  }

  private args(arg: unknown, count: number, where: string): unknown[] {
    if (!Array.isArray(arg) || arg.length !== count) {
      throw new ConfigError(`${where}: takes a list of ${count} items (got ${JSON.stringify(arg)})`);
    }
    return arg;
  }

  private scalar(value: unknown, where: string): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return String(value);
    throw new ConfigError(`${where}: must resolve to a string (got ${JSON.stringify(value)})`);
  }

  private truth(value: unknown, where: string): boolean {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    if (!isObject(value)) throw new ConfigError(`${where}: not a condition (${JSON.stringify(value)})`);
    const fn = intrinsicName(value);
    const arg = fn === undefined ? undefined : value[fn];
    const where2 = `${where}.${fn}`;
    switch (fn) {
      case 'Condition':
        return this.condition(String(arg), where2);
      case 'Fn::Equals': {
        const [a, b] = this.args(arg, 2, where2).map((x) => this.walk(x, where2));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::Not':
        return !this.truth(this.args(arg, 1, where2)[0], `${where2}[0]`);
      case 'Fn::And':
        if (!Array.isArray(arg)) throw new ConfigError(`${where2}: takes a list of conditions`);
        return arg.every((c, i) => this.truth(c, `${where2}[${i}]`));
      case 'Fn::Or':
        if (!Array.isArray(arg)) throw new ConfigError(`${where2}: takes a list of conditions`);
        return arg.some((c, i) => this.truth(c, `${where2}[${i}]`));
      default:
        return this.truth(this.walk(value, where), where);
    }
  }

  private ref(name: unknown, where: string): unknown {
    if (typeof name !== 'string') throw new ConfigError(`${where}: must name a parameter or resource`);
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'AWS::NotificationARNs') return [];
    if (Object.hasOwn(this.pseudo, name)) return this.pseudo[name];
    const parameters = this.template.Parameters ?? {};
    if (Object.hasOwn(parameters, name)) return this.parameter(name, where);
    if (this.template.Resources[name]?.Type === USER_POOL_TYPE) return `${this.region}_${name}`;
    if (Object.hasOwn(this.template.Resources, name) || Object.hasOwn(this.implicitResources, name))
      return name;
    throw new ConfigError(
      `${where}: "${name}" is no parameter, pseudo parameter or resource of the template`,
    );
  }

  private parameter(name: string, where: string): unknown {
    const declared = this.template.Parameters?.[name] ?? {};
    const given = this.overrides[name] ?? declared.Default;
    if (given === undefined) {
      throw new ConfigError(
        `${where}: parameter "${name}" has no Default and no value in parameterOverrides`,
      );
    }
    const type = declared.Type ?? 'String';
    if (type === 'CommaDelimitedList' || type.startsWith('List<')) {
      return Array.isArray(given)
        ? given.map(String)
        : String(given)
            .split(',')
            .map((s) => s.trim());
    }
    return typeof given === 'string' ? given : String(given);
  }

  private getAtt(arg: unknown, where: string): string {
    const [id, attribute] = typeof arg === 'string' ? arg.split(/\.(.*)/s) : Array.isArray(arg) ? arg : [];
    if (typeof id !== 'string' || typeof attribute !== 'string') {
      throw new ConfigError(`${where}: takes [logicalId, attribute] (got ${JSON.stringify(arg)})`);
    }
    const resource = this.template.Resources[id];
    const type = resource?.Type ?? this.implicitResources[id];
    if (type === undefined) throw new ConfigError(`${where}: no resource "${id}" in the template`);
    if (FUNCTION_TYPES.has(type) && attribute === 'Arn') return this.functionArn(id);
    if (type === USER_POOL_TYPE && attribute === 'Arn') {
      return `arn:${this.pseudo['AWS::Partition']}:cognito-idp:${this.region}:${this.pseudo['AWS::AccountId']}:userpool/${this.region}_${id}`;
    }
    return `${id}.${attribute}`;
  }

  private sub(arg: unknown, where: string): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : this.args(arg, 2, where);
    if (typeof text !== 'string' || !isObject(variables)) {
      throw new ConfigError(`${where}: takes a string, or [string, { name: value }]`);
    }
    return text.replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      const name = expression.trim();
      if (Object.hasOwn(variables, name))
        return this.scalar(this.walk(variables[name], `${where}.${name}`), where);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::'))
        return this.getAtt([name.slice(0, dot), name.slice(dot + 1)], where);
      const value = this.ref(name, where);
      if (value === NO_VALUE) return '';
      if (Array.isArray(value))
        throw new ConfigError(`${where}: \${${name}} is a list, not a string (${whole})`);
      return String(value);
    });
  }
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { type ResourceValues, resourceValues, valueProperties } from './resource-values.js';
import type { TemplateResource } from './template-resource.js';
import { parseTemplate } from './yaml-tags.js';

export type { TemplateResource };

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

/** The stack the template stands for, and how far resources' own values reach. */
export interface ResolverSettings {
  /** `AWS::StackName`, and the first part of generated resource names (default `local`, as `sam local`). */
  stackName?: string;
  /**
   * Resolve as for a function's environment: a function's `Ref`/`Arn` is its physical name (not
   * the logical id the API's integrations key functions by), and a `Ref`/`Fn::GetAtt` of a type
   * not known here is noted in `standIns`.
   */
  physicalFunctionNames?: boolean;
}

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
 * parameter is its override or `Default`; a resource's `Ref` and attributes are what
 * CloudFormation gives for the types in resource-values.ts (its physical name, generated from
 * the stack name when the template gives none); a Lambda function is its logical id (its name in
 * our options) and its `Arn` the Lambda ARN naming that, except in a function's environment;
 * other types' `Ref` is the logical id and their attributes a readable `Id.Attribute` token.
 * Every failure is a ConfigError naming where in the template it stands.
 * @example
 * new IntrinsicResolver(template, { 'AWS::Region': 'eu-west-1' })
 *   .resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' }, 'Resources.X.Properties.Arn')
 */
export class IntrinsicResolver {
  private readonly pseudo: ParameterValues;
  private readonly conditionCache = new Map<string, boolean>();
  private readonly valuesCache = new Map<string, ResourceValues | undefined>();
  private readonly resolving = new Set<string>();
  /** `Ref`s and attributes of types not known here, met while resolving a function's environment. */
  readonly standIns: string[] = [];

  constructor(
    private readonly template: TemplateParts,
    private readonly overrides: ParameterValues = {},
    /** Resources a transform adds (SAM's `ServerlessRestApi`), resolvable by `Ref` as the rest. */
    private readonly implicitResources: Record<string, string> = {},
    /** Where `AWS::Include` locations are read from. */
    private readonly baseDir = process.cwd(),
    /** `Fn::ImportValue` export name → value: other stacks' outputs, as the user maps them. */
    private readonly importValues: Record<string, string> = {},
    private readonly settings: ResolverSettings = {},
  ) {
    const region = overrides['AWS::Region'] ?? 'us-east-1';
    const account = overrides['AWS::AccountId'] ?? '123456789012';
    const partition = overrides['AWS::Partition'] ?? (region.startsWith('cn-') ? 'aws-cn' : 'aws');
    const stackName = overrides['AWS::StackName'] ?? settings.stackName ?? 'local';
    this.pseudo = {
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::Partition': partition,
      'AWS::StackName': stackName,
      'AWS::StackId':
        overrides['AWS::StackId'] ??
        `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
      'AWS::URLSuffix':
        overrides['AWS::URLSuffix'] ?? (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'),
    };
  }

  /**
   * A resolver for functions' environments (see `physicalFunctionNames`), sharing this one's
   * template, values and `standIns`.
   */
  forEnvironment(): IntrinsicResolver {
    const resolver = new IntrinsicResolver(
      this.template,
      this.overrides,
      this.implicitResources,
      this.baseDir,
      this.importValues,
      { ...this.settings, physicalFunctionNames: true },
    );
    Object.assign(resolver, { standIns: this.standIns });
    return resolver;
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
    if (Object.hasOwn(this.template.Resources, name)) {
      const type = this.template.Resources[name]?.Type;
      if (FUNCTION_TYPES.has(type) && !this.settings.physicalFunctionNames) return name;
      const values = this.valuesOf(name, where);
      if (values !== undefined) return values.ref;
      this.standIn(`${where}: Ref ${name} (${type})`, name);
      return name;
    }
    if (Object.hasOwn(this.implicitResources, name)) {
      this.standIn(`${where}: Ref ${name} (${this.implicitResources[name]})`, name);
      return name;
    }
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
    if (FUNCTION_TYPES.has(type) && attribute === 'Arn' && !this.settings.physicalFunctionNames)
      return this.functionArn(id);
    const values = resource === undefined ? undefined : this.valuesOf(id, where);
    const value = values?.attributes[attribute];
    if (value !== undefined) return value;
    const known = values === undefined ? '' : ` (known: ${Object.keys(values.attributes).join(', ')})`;
    this.standIn(`${where}: Fn::GetAtt ${id}.${attribute} (${type})${known}`, `${id}.${attribute}`);
    return `${id}.${attribute}`;
  }

  /** A known type's `Ref` and attributes, its naming properties resolved once. */
  private valuesOf(id: string, where: string): ResourceValues | undefined {
    if (this.valuesCache.has(id)) return this.valuesCache.get(id);
    const resource = this.template.Resources[id] as TemplateResource;
    const properties = valueProperties(resource.Type);
    if (properties === undefined) return undefined;
    if (this.resolving.has(id))
      throw new ConfigError(`${where}: ${id}'s properties refer back to ${id} (a circular reference)`);
    this.resolving.add(id);
    try {
      const at = `Resources.${id}.Properties`;
      const raw = resource.Properties ?? {};
      // Only the properties a name or attribute reads: the rest may refer to anything.
      const props: Record<string, unknown> = {};
      for (const key of properties) {
        if (raw[key] !== undefined) props[key] = this.resolve(raw[key], `${at}.${key}`);
      }
      const values = resourceValues(id, resource, props, {
        stackName: this.pseudo['AWS::StackName'] as string,
        region: this.region,
        accountId: this.pseudo['AWS::AccountId'] as string,
        partition: this.pseudo['AWS::Partition'] as string,
        urlSuffix: this.pseudo['AWS::URLSuffix'] as string,
      });
      this.valuesCache.set(id, values);
      return values;
    } finally {
      this.resolving.delete(id);
    }
  }

  /**
   * A value of a type not known here: in a function's environment it is noted (the function
   * gets `value`, not what CloudFormation would give), elsewhere it is a readable token.
   */
  private standIn(what: string, value: string): void {
    if (this.settings.physicalFunctionNames) {
      this.standIns.push(`${what}: not known here, the function gets "${value}"`);
    }
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

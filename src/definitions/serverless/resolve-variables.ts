import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { parseDefinitionYaml } from '../parse-yaml.js';

/** What `${opt:…}`, `${env:…}` and `${file(…)}` read from. */
export interface VariableSources {
  /** `--stage`: `${opt:stage}`, and the stage `${sls:stage}` falls back from. */
  stage?: string;
  /** `--region`: `${opt:region}`. */
  region?: string;
  env: Record<string, string | undefined>;
  /** The service folder, where `${file(./x.yml)}` paths start. */
  baseDir: string;
}

/** How `self:` reads what the file leaves unset. */
export interface SelfDefaults {
  /** v1/v2 read `self:` from the loaded service, where provider.stage is dev and provider.region the region. */
  provider: boolean;
}

/** A value that could not be resolved because its source is not supported here; its property is left out. */
export const UNRESOLVED: unique symbol = Symbol('unresolved');

const MAX_DEPTH = 20;
const TYPE = /^([a-zA-Z][a-zA-Z0-9]*)(?:\(([\s\S]*)\))?(?::([\s\S]*))?$/;

/** The index of the `}` closing the `${` at `start`, skipping nested variables and quoted strings. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      if (depth > 0 && /[,(\s]/.test(text[i - 1] ?? '')) quote = char;
    } else if (char === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (char === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits `a, 'b,c', ${d, e}` on its top-level commas. */
function splitSources(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if ((char === "'" || char === '"') && inner.slice(from, i).trim() === '') quote = char;
    else if (char === '$' && inner[i + 1] === '{') depth++;
    else if (char === '}') depth--;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(inner.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(inner.slice(from).trim());
  return parts;
}

function literal(source: string): { value: unknown } | undefined {
  const quote = source[0];
  if ((quote === "'" || quote === '"') && source.endsWith(quote) && source.length >= 2) {
    return { value: source.slice(1, -1).replace(/\\(.)/g, '$1') };
  }
  if (source === 'true') return { value: true };
  if (source === 'false') return { value: false };
  if (source === 'null') return { value: null };
  if (source !== '' && !Number.isNaN(Number(source))) return { value: Number(source) };
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Serverless Framework v3 variables (`${source:address, fallback…}`) over one `serverless.yml`,
 * resolved only where the importer reads. Supported sources: `self`, `env`, `opt` (stage,
 * region), `sls:stage`, `aws:region`, `file(…)` (local JSON/YAML), `strToBool`; fallbacks may be
 * quoted strings, numbers, booleans, `null`, other sources or nested variables. A missing value
 * without a fallback is a ConfigError naming the property, as `sls` refuses it. `${ssm:…}`,
 * `${cf:…}` and the other remote sources are noted in `unsupported` and their property left out.
 * `${AWS::Region}`-style (CloudFormation `Fn::Sub`) text is left as it is.
 * @example
 * new VariableResolver({ provider: { stage: '${opt:stage, "dev"}' } }, { env: {}, baseDir: '.' })
 *   .get(['provider', 'stage']); // 'dev'
 */
export class VariableResolver {
  readonly unsupported: string[] = [];
  /** Set once `frameworkVersion` is read; v3 (the default) reads the file as written. */
  readonly selfDefaults: SelfDefaults = { provider: false };
  private readonly files = new Map<string, unknown>();

  constructor(
    private readonly document: Record<string, unknown>,
    private readonly sources: VariableSources,
  ) {}

  /** The property at `at` (`['provider', 'environment']`), every variable in it resolved. */
  get(at: string[]): unknown {
    return this.lookup(this.document, at, at.join('.'), []);
  }

  /** Resolves every variable in `value`, found at `where`. */
  resolve(value: unknown, where: string, chain: string[] = []): unknown {
    if (chain.length > MAX_DEPTH) {
      throw new ConfigError(`${where}: variables refer to each other in a loop (${chain.join(' → ')})`);
    }
    if (typeof value === 'string') return this.resolveString(value, where, chain);
    if (Array.isArray(value)) {
      return value
        .map((item, i) => this.resolve(item, `${where}[${i}]`, chain))
        .filter((item) => item !== UNRESOLVED);
    }
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const resolved = this.resolve(item, where === '' ? key : `${where}.${key}`, chain);
        if (resolved !== UNRESOLVED) out[key] = resolved;
      }
      return out;
    }
    return value;
  }

  private lookup(root: unknown, at: string[], where: string, chain: string[]): unknown {
    let current: unknown = root;
    for (const [i, key] of at.entries()) {
      if (typeof current === 'string') current = this.resolveString(current, at.slice(0, i).join('.'), chain);
      if (!isRecord(current) && !Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    return this.resolve(current, where, chain);
  }

  private resolveString(text: string, where: string, chain: string[]): unknown {
    let out = '';
    let at = 0;
    while (at < text.length) {
      const start = text.indexOf('${', at);
      if (start === -1) break;
      if (!/[a-z'"$]/.test(text[start + 2] ?? '')) {
        // `${AWS::Region}`, `${MyParam}`: CloudFormation's own substitutions, not variables
        out += text.slice(at, start + 2);
        at = start + 2;
        continue;
      }
      const end = closingBrace(text, start);
      if (end === -1) throw new ConfigError(`${where}: unclosed variable in ${JSON.stringify(text)}`);
      const variable = text.slice(start, end + 1);
      const value = this.resolveVariable(variable, where, chain);
      if (value === UNRESOLVED) return UNRESOLVED;
      if (start === 0 && end === text.length - 1) return value;
      if (typeof value === 'object' && value !== null) {
        throw new ConfigError(
          `${where}: ${variable} gives an object or a list, which cannot be part of the string ${JSON.stringify(text)}`,
        );
      }
      out += text.slice(at, start) + String(value);
      at = end + 1;
    }
    return out + text.slice(at);
  }

  private resolveVariable(variable: string, where: string, chain: string[]): unknown {
    let unsupported = false;
    const notes = this.unsupported.length;
    for (const source of splitSources(variable.slice(2, -1))) {
      const value = this.resolveSource(source, variable, where, chain);
      if (value === UNRESOLVED) unsupported = true;
      else if (value !== null && value !== undefined) {
        this.unsupported.length = notes; // a fallback gave the value: nothing was left out
        return value;
      }
    }
    if (unsupported) return UNRESOLVED;
    throw new ConfigError(
      `${where}: ${variable} has no value (give its source a value, or a default: \${source:address, 'default'})`,
    );
  }

  private resolveSource(source: string, variable: string, where: string, chain: string[]): unknown {
    if (source.startsWith('${')) return this.resolveString(source, where, chain);
    const constant = literal(source);
    if (constant) return constant.value;
    const match = TYPE.exec(source);
    if (!match) throw new ConfigError(`${where}: ${variable}: cannot read the source "${source}"`);
    const [, type, params, rawAddress = ''] = match;
    const address = String(this.resolveString(rawAddress, where, chain) ?? '');
    switch (type) {
      case 'self':
        return this.self(address, where, chain);
      case 'env':
        return this.sources.env[address] ?? null;
      case 'opt':
        if (address === 'stage') return this.sources.stage ?? null;
        if (address === 'region') return this.sources.region ?? null;
        return null;
      case 'sls':
        if (address === 'stage') return this.stage(chain);
        break;
      case 'aws':
        if (address === 'region')
          return this.sources.region ?? this.self('provider.region', where, chain) ?? 'us-east-1';
        break;
      case 'file':
        return this.file(params ?? '', address, where, variable, chain);
      case 'strToBool': {
        const text = String(this.resolveString((params ?? '').trim(), where, chain)).trim();
        if (text === 'true' || text === '1') return true;
        if (text === 'false' || text === '0') return false;
        throw new ConfigError(`${where}: ${variable}: "${text}" is not true, false, 1 or 0`);
      }
    }
    this.unsupported.push(
      `${where}: ${variable} (the "${type}${address && type === 'sls' ? `:${address}` : ''}" variable source is not resolved locally; the property is left out)`,
    );
    return UNRESOLVED;
  }

  /** The stage as `${sls:stage}` gives it: `--stage`, else `provider.stage`, else `dev`. */
  stage(chain: string[] = []): string {
    if (this.sources.stage !== undefined) return this.sources.stage;
    const stage = this.self('provider.stage', 'provider.stage', chain);
    return stage === undefined || stage === null || stage === UNRESOLVED ? 'dev' : String(stage);
  }

  private self(address: string, where: string, chain: string[]): unknown {
    if (chain.includes(address)) {
      throw new ConfigError(
        `${where}: \${self:${address}} refers to itself (${[...chain, address].join(' → ')})`,
      );
    }
    const at = address === '' ? [] : address.split('.');
    const value = this.lookup(this.document, at, address, [...chain, address]);
    if (value === undefined && this.selfDefaults.provider) {
      // v1/v2 Service.js sets provider.stage to dev; the AWS provider sets provider.region before variables
      if (address === 'provider.stage') return 'dev';
      if (address === 'provider.region') return this.sources.region ?? 'us-east-1';
    }
    return value === undefined ? null : value;
  }

  private file(params: string, address: string, where: string, variable: string, chain: string[]): unknown {
    const name = String(this.resolveString(params.trim().replace(/^(['"])(.*)\1$/, '$2'), where, chain));
    const file = path.resolve(this.sources.baseDir, name);
    if (!/\.(ya?ml|json)$/i.test(file)) {
      this.unsupported.push(
        `${where}: ${variable} (only JSON and YAML files are read; the property is left out)`,
      );
      return UNRESOLVED;
    }
    let content = this.files.get(file);
    if (content === undefined) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return null; // the framework resolves a missing file to nothing, so a fallback can apply
      }
      try {
        content = /\.json$/i.test(file) ? JSON.parse(text) : parseDefinitionYaml(text);
      } catch (error) {
        throw new ConfigError(`${where}: ${variable}: ${name} cannot be parsed: ${(error as Error).message}`);
      }
      this.files.set(file, content);
    }
    const at = address === '' ? [] : address.split('.');
    const value = this.lookup(content, at, where, chain);
    return value === undefined ? null : value;
  }
}

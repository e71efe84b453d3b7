import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions, Logger, ResolvedOptions } from '../config/types.js';
import { hasDefinition, importDefinition } from '../definitions/load-definition.js';
import type { DefinedHttpApi } from '../http-api/definitions/defined-http-api.js';
import type { ApiArguments } from './api-arguments.js';
import { loadDefinedHttpApis } from './http-apis.js';
import { UsageError } from './usage-error.js';

/** How the CLI reads a file: one of the three definitions, or a module exporting the options. */
export type SourceKind = 'module' | 'openapi' | 'template' | 'serverless';

export const SOURCE_NAMES: Record<SourceKind, string> = {
  module: 'options module',
  openapi: 'OpenAPI definition',
  template: 'SAM/CloudFormation template',
  serverless: 'Serverless Framework service',
};

/** The API a command works on: where it comes from, and its options with the definition read. */
export interface LoadedApi {
  /** The file's absolute path. */
  file: string;
  /** The file as the command line gave it, for messages. */
  shown: string;
  kind: SourceKind;
  options: ResolvedOptions;
  /** The stages the definition declares, the one in `options` first; a module's own stage alone. */
  stages: string[];
  /** The HTTP APIs (v2) a template or serverless.yml declares, served beside the REST API. */
  httpApis?: DefinedHttpApi[];
  /** The definition declares HTTP APIs only: `options` serves nothing. */
  restless?: boolean;
}

const MODULE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs']);
const SERVERLESS_FILES = new Set(['serverless.yml', 'serverless.yaml', 'serverless.json']);
const TEMPLATE_KEYS = ['AWSTemplateFormatVersion', 'Transform', 'Resources'];

/** An error the CLI reports as `<file>: <message>` and exits 1 on. */
export class ApiFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFileError';
  }
}

/**
 * Reads the file a command names into resolved options (`--stage`, `--parameter-overrides` and
 * `--serve-unenforced-guards-open` applied), the definition imported. Throws ApiFileError naming the file, or UsageError.
 */
export async function loadApi(args: ApiArguments, logger: Logger, cwd = process.cwd()): Promise<LoadedApi> {
  const file = path.resolve(cwd, args.file);
  const kind = detectKind(file, args.file);
  const given: ApiGatewayOptions =
    kind === 'module'
      ? { logger, ...fromFolder(readModule(file, args.file), cwd) }
      : { [kind]: file, logger };
  if (args.parameterOverrides !== undefined && !hasDefinition(given)) {
    throw new UsageError(
      `--parameter-overrides: ${args.file} gives resources, not a template to apply them to`,
    );
  }
  if (args.stackName !== undefined && !hasDefinition(given)) {
    throw new UsageError(`--stack-name: ${args.file} gives resources, not a template to name the stack of`);
  }
  const options: ApiGatewayOptions = {
    ...given,
    ...(args.stackName !== undefined && { stackName: args.stackName }),
    ...(args.stageName !== undefined && { stageName: args.stageName }),
    ...(args.parameterOverrides !== undefined && {
      parameterOverrides: { ...given.parameterOverrides, ...args.parameterOverrides },
    }),
    // Only a definition has guards to drop; resources given as options are served as written.
    ...(args.serveUnenforcedGuardsOpen === true &&
      hasDefinition(given) && { serveUnenforcedGuardsOpen: true }),
    ...(args.allowRemoteRefs === true && { allowRemoteRefs: true }),
  };
  try {
    if (hasDefinition(options)) {
      const httpNotes: string[] = [];
      const httpApis = await loadDefinedHttpApis(kind, file, args, options.logger ?? logger, httpNotes);
      const restless = { resources: {}, logger: options.logger ?? logger } as ResolvedOptions;
      // An OpenAPI document of an HTTP API is not also read as a REST API.
      if (kind === 'openapi' && httpApis.length > 0)
        return { file, shown: args.file, kind, options: restless, stages: [], httpApis, restless: true };
      try {
        const imported = await importDefinition(options, options.logger ?? logger, {
          httpApisServed: httpApis.length > 0,
        });
        if (httpApis.length === 0 && httpNotes.length > 0)
          (options.logger ?? logger).warn(
            `apigw-express: ${kind}: HTTP APIs not served: ${httpNotes.join('; ')}`,
          );
        return { file, shown: args.file, kind, ...imported, httpApis };
      } catch (error) {
        // A definition of HTTP APIs only has no REST API to serve: not an error then.
        if (httpApis.length === 0 || !(error instanceof ConfigError) || !/no REST API/.test(error.message))
          throw withHttpApiNotes(error, httpApis.length === 0 ? httpNotes : []);
        return { file, shown: args.file, kind, options: restless, stages: [], httpApis, restless: true };
      }
    }
    if (options.resources === undefined) {
      throw new ConfigError('resources: missing (or give a definition: openapi, template or serverless)');
    }
    return {
      file,
      shown: args.file,
      kind,
      options: options as ResolvedOptions,
      stages: [options.stageName ?? 'prod'],
    };
  } catch (error) {
    throw new ApiFileError(args.file, describe(error));
  }
}

/** Nothing to serve, and HTTP APIs declared that cannot be served: the error says why. */
function withHttpApiNotes(error: unknown, notes: string[]): unknown {
  if (notes.length === 0 || !(error instanceof ConfigError) || !/nothing to serve/.test(error.message))
    return error;
  return new ConfigError(`${error.message}; HTTP APIs not served: ${notes.join('; ')}`);
}

/**
 * An options module's paths are relative to the working directory it was started in (`cwd`):
 * made absolute, they stay right when `serve` moves to the functions' code root.
 */
function fromFolder(options: ApiGatewayOptions, cwd: string): ApiGatewayOptions {
  const resolved: ApiGatewayOptions = { ...options };
  for (const key of ['openapi', 'template', 'serverless'] as const) {
    const source = options[key];
    if (typeof source === 'string') (resolved as Record<string, unknown>)[key] = path.resolve(cwd, source);
  }
  if (options.functions !== null && typeof options.functions === 'object') {
    resolved.functions = Object.fromEntries(
      Object.entries(options.functions).map(([name, entry]) => [
        name,
        entry !== null &&
        typeof entry === 'object' &&
        typeof entry.handler === 'string' &&
        (entry.codeUri === undefined || typeof entry.codeUri === 'string')
          ? { ...entry, codeUri: path.resolve(cwd, entry.codeUri ?? '.') }
          : entry,
      ]),
    );
  }
  return resolved;
}

/** One line for any error: a ConfigError's message names the field already. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Several config problems stay a line each.
  const problems = (error as { problems?: unknown }).problems;
  if (error.name === 'ConfigError' && Array.isArray(problems) && problems.length > 1) return error.message;
  const message = error.message.replace(/\s*\n\s*/g, ' ');
  return error.name === 'ConfigError' || error.name === 'ApiFileError'
    ? message
    : `${error.name}: ${message}`;
}

function detectKind(file: string, shown: string): SourceKind {
  if (MODULE_EXTENSIONS.has(path.extname(file))) {
    if (!fs.existsSync(file)) throw new ApiFileError(shown, 'no such file');
    return 'module';
  }
  if (SERVERLESS_FILES.has(path.basename(file))) {
    if (!fs.existsSync(file)) throw new ApiFileError(shown, 'no such file');
    return 'serverless';
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ApiFileError(shown, code === 'ENOENT' ? 'no such file' : describe(error));
  }
  // Only the top-level keys matter here; CloudFormation's !Ref and !GetAtt tags are left to the importer.
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new ApiFileError(shown, `not YAML or JSON: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const top = doc.contents as { items?: { key: unknown }[] } | null;
  const keys = new Set(
    (top?.items ?? []).map((pair) => String((pair.key as { value?: unknown })?.value ?? pair.key)),
  );
  if (TEMPLATE_KEYS.some((key) => keys.has(key))) return 'template';
  if (keys.has('openapi') || keys.has('swagger')) return 'openapi';
  throw new ApiFileError(
    shown,
    'not a definition apigw-express knows: no AWSTemplateFormatVersion, Transform or Resources (a template), no openapi or swagger (an OpenAPI document), and not named serverless.yml',
  );
}

function readModule(file: string, shown: string): ApiGatewayOptions {
  let exported: unknown;
  try {
    exported = createRequire(file)(file);
  } catch (error) {
    throw new ApiFileError(shown, describe(error));
  }
  // An ES module's (or a transpiled one's) default export.
  const candidate = exported as { default?: unknown; __esModule?: boolean } | null;
  const options =
    candidate !== null && typeof candidate === 'object' && 'default' in candidate && candidate.default
      ? candidate.default
      : candidate;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ApiFileError(
      shown,
      'must export the apiGateway() options (module.exports = { functions, resources, … }, or export default)',
    );
  }
  return options as ApiGatewayOptions;
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { Logger } from '../../config/types.js';
import { parseDefinitionYaml } from '../../definitions/parse-yaml.js';
import { locate } from '../../definitions/source-file.js';
import type { DefinedHttpApi } from '../definitions/defined-http-api.js';
import type { HttpApiOptions } from '../types.js';
import { exportHttpApiOpenApi } from './export-http-api-openapi.js';
import {
  type HttpApiOpenApiImport,
  importHttpApiOpenApi,
  isHttpApiOpenApi,
} from './import-http-api-openapi.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `httpApi({ openapi })`: the document's routes, authorizers and CORS (the functions are given beside it). */
export async function loadHttpApiOpenApi(
  source: string | Json,
  others: { template?: unknown; serverless?: unknown },
  ctx: { unsupported?: string[] },
): Promise<Pick<HttpApiOptions, 'routes' | 'authorizers' | 'cors' | 'functions'>> {
  const other =
    others.template !== undefined ? 'template' : others.serverless !== undefined ? 'serverless' : '';
  if (other !== '') throw new ConfigError(`openapi, ${other}: give one definition, not several`);
  if (typeof source !== 'string' && !isObject(source))
    throw new ConfigError('openapi: a file path or an OpenAPI 3 document object');
  const { options } = await importHttpApiOpenApi(source, {
    baseDir: locate(source).baseDir,
    unsupported: ctx.unsupported,
  });
  return options;
}

/** Which properties of a template resource hold an HTTP API's OpenAPI document. */
const BODY_FIELDS = {
  // SAM AWS::Serverless::HttpApi: DefinitionBody (inline) or DefinitionUri (a file, or S3).
  sam: ['DefinitionBody', 'DefinitionUri'],
  // CFN AWS::ApiGatewayV2::Api: Body (inline) or BodyS3Location (S3, or a local file before `aws cloudformation package`).
  cfn: ['Body', 'BodyS3Location'],
} as const;

/**
 * The OpenAPI document a SAM `AWS::Serverless::HttpApi` or CFN `AWS::ApiGatewayV2::Api` carries,
 * read as `import-api` would; `undefined` when it has none. A document on S3 cannot be read here:
 * a ConfigError says to give it inline or as a local file.
 */
export async function readHttpApiBody(
  kind: keyof typeof BODY_FIELDS,
  props: Json,
  where: string,
  baseDir: string,
  unsupported: string[],
  metadata?: Json,
): Promise<HttpApiOpenApiImport | undefined> {
  const [inline, located] = BODY_FIELDS[kind];
  let source: string | Json;
  let at: string;
  if (props[inline] !== undefined) {
    at = `${where}.${inline}`;
    if (!isObject(props[inline])) throw new ConfigError(`${at}: an OpenAPI 3 document object`);
    source = props[inline];
  } else if (props[located] !== undefined) {
    at = `${where}.${located}`;
    source = localFile(props[located], metadata, baseDir, at);
  } else return undefined;
  const own: string[] = [];
  try {
    const imported = await importHttpApiOpenApi(source, { baseDir, unsupported: own });
    unsupported.push(...own.map((item) => `${at}: ${item.replace(/^openapi: /, '')}`));
    return imported;
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError(`${at}: ${error.message.replace(/^openapi: /, '')}`);
    throw error;
  }
}

/** A local path: the location itself, a CDK asset's path, or an S3 location's `Key` under the template's folder. */
function localFile(location: unknown, metadata: Json | undefined, baseDir: string, at: string): string {
  const asset = metadata?.['aws:asset:path'];
  if (typeof asset === 'string') return path.resolve(baseDir, asset);
  if (typeof location === 'string' && !location.startsWith('s3://')) return path.resolve(baseDir, location);
  // As for REST APIs' BodyS3Location: the Key read as a path under the template's folder.
  if (isObject(location) && typeof location.Key === 'string') return path.resolve(baseDir, location.Key);
  throw new ConfigError(
    `${at}: a document on S3 cannot be read here (give it inline, or as a file path under the template's folder)`,
  );
}

/** The options a body adds to an HTTP API read from a template: its authorizers and CORS. */
export function bodyExtras(
  body: HttpApiOpenApiImport | undefined,
): Pick<HttpApiOptions, 'authorizers' | 'cors'> {
  if (body === undefined) return {};
  const { authorizers, cors } = body.options;
  return { ...(authorizers !== undefined && { authorizers }), ...(cors !== undefined && { cors }) };
}

/**
 * An OpenAPI file the CLI is given: the HTTP API it describes (its functions to be given
 * elsewhere), or none when it describes a REST API.
 */
export async function definedHttpApisOfOpenApi(
  file: string,
  ctx: { stageName?: string; allowRemoteRefs?: boolean; unsupported?: string[] },
): Promise<DefinedHttpApi[]> {
  let raw: unknown;
  try {
    raw = parseDefinitionYaml(await readFile(file, 'utf8'));
  } catch {
    return []; // the REST importer says what is wrong with it
  }
  if (!isHttpApiOpenApi(raw)) return [];
  const imported = await importHttpApiOpenApi(file, {
    baseDir: path.dirname(file),
    allowRemoteRefs: ctx.allowRemoteRefs,
    unsupported: ctx.unsupported,
  });
  return [
    {
      name: imported.name ?? path.basename(file),
      options: { ...imported.options, stageName: ctx.stageName ?? '$default' },
    },
  ];
}

/** `export` of a definition's HTTP API: the first one (the others named on the logger). */
export function exportDefinedHttpApi(apis: DefinedHttpApi[], logger: Logger): Record<string, unknown> {
  const [first, ...others] = apis;
  if (first === undefined) throw new ConfigError('export --http-api: the definition declares no HTTP API');
  if (others.length > 0)
    logger.warn(
      `apigw-express: export: writing HTTP API ${first.name}; left out: ${others.map((a) => a.name).join(', ')}`,
    );
  return exportHttpApiOpenApi(first.options, { title: first.name });
}

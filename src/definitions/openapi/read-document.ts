import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ConfigError } from '../../config/config-error.js';
import { parseDefinitionYaml } from '../parse-yaml.js';
import { locate } from '../source-file.js';
import { refResolvers } from './ref-resolvers.js';

type Json = Record<string, unknown>;

/** The definition twice: bundled (`$ref`s kept, models still name each other) and fully dereferenced. */
export interface OpenApiDocument {
  bundled: Json;
  dereferenced: Json;
  /** `openapi: 3.x` (else Swagger 2). */
  oas3: boolean;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an OpenAPI 3 / Swagger 2 definition from a file (JSON or YAML) or an object, with its
 * `$ref`s resolved by swagger-parser: local ones, files under the definition's folder, and URLs
 * only with `allowRemoteRefs`.
 */
export async function readOpenApiDocument(
  source: string | Json,
  baseDir: string,
  allowRemoteRefs = false,
): Promise<OpenApiDocument> {
  const { file } = locate(source);
  // A document given as an object reads the files it `$ref`s from baseDir.
  const base = file ?? join(baseDir, 'openapi.json');
  let doc: unknown = source;
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`openapi: cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      // YAML 1.2 reads JSON too; AWS answers "Invalid OpenAPI input." to either kind of broken file.
      doc = parseDefinitionYaml(text);
    } catch (error) {
      throw new ConfigError(
        `openapi: ${file}: not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  } else {
    doc = structuredClone(source);
  }
  const where = file ?? 'the document';
  if (!isObject(doc)) throw new ConfigError(`openapi: ${where}: not an OpenAPI or Swagger document`);
  const version = doc.openapi ?? doc.swagger;
  if (version === undefined) {
    throw new ConfigError(`openapi: ${where}: neither "openapi: 3.0.x" nor "swagger: '2.0'" is given`);
  }
  // YAML reads `version: 1.0` as a number; AWS takes it, swagger-parser wants a string.
  if (isObject(doc.info) && typeof doc.info.version === 'number') doc.info.version = String(doc.info.version);
  if (typeof doc.openapi === 'number') doc.openapi = String(doc.openapi);
  if (typeof doc.swagger === 'number') doc.swagger = doc.swagger.toFixed(1);
  if (!isObject(doc.paths)) throw new ConfigError(`openapi: ${where}: "paths" must be an object`);
  let bundled: Json;
  let dereferenced: Json;
  const { resolve, refusals } = refResolvers(dirname(base), allowRemoteRefs);
  try {
    bundled = (await new SwaggerParser().bundle(base, doc as never, { resolve } as never)) as unknown as Json;
    dereferenced = (await new SwaggerParser().dereference(
      base,
      structuredClone(bundled) as never,
      {
        resolve,
        dereference: { circular: 'ignore' },
      } as never,
    )) as unknown as Json;
  } catch (error) {
    throw new ConfigError(`openapi: ${where}: ${refusals[0] ?? (error as Error).message}`);
  }
  return { bundled, dereferenced, oas3: typeof bundled.openapi === 'string' };
}

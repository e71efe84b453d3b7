import type { Logger, ResolvedOptions } from '../config/types.js';

/** What an importer gives back: the API in our options, and what it could not carry over. */
export interface ImportedApi {
  options: ResolvedOptions;
  /** Fields the definition has that are not supported, each naming where it stands. */
  unsupported: string[];
}

/** What every importer is told about where it runs. */
export interface ImportContext {
  /** The definition file's folder (relative paths: handlers' code, BodyS3Location, env files), else the working directory. */
  baseDir: string;
  stageName?: string;
  parameterOverrides?: Record<string, string>;
  /** OpenAPI `$ref`s may name http(s) URLs, which are then fetched (else refused). */
  allowRemoteRefs?: boolean;
  logger: Logger;
}

export type Importer = (source: string | Record<string, unknown>, ctx: ImportContext) => Promise<ImportedApi>;

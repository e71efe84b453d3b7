import type { Logger, ResolvedOptions } from '../config/types.js';
import type { UnenforcedGuard } from './unenforced-guards.js';

/** What an importer gives back: the API in our options, and what it could not carry over. */
export interface ImportedApi {
  options: ResolvedOptions;
  /** Fields the definition has that are not supported, each naming where it stands. */
  unsupported: string[];
  /** Restrictions the definition declares that cannot be enforced here (never just a warning). */
  unenforcedGuards: UnenforcedGuard[];
  /** What the definition holds (functions and their events, resources and their types), for the error when nothing can be served. */
  found?: string[];
  /** The stages the definition declares, the one served first (default: that one alone). */
  stages?: string[];
}

/** What every importer is told about where it runs. */
export interface ImportContext {
  /** The definition file's folder (relative paths: handlers' code, BodyS3Location, env files), else the working directory. */
  baseDir: string;
  stageName?: string;
  parameterOverrides?: Record<string, string>;
  /** The stack a template is deployed as: `AWS::StackName`, and generated resource names. */
  stackName?: string;
  /** `AWS::Region` and `AWS::AccountId` unless `parameterOverrides` give them. */
  region?: string;
  accountId?: string;
  /** `Fn::ImportValue` export name → its value (another stack's output). */
  importValues?: Record<string, string>;
  /** OpenAPI `$ref`s may name http(s) URLs, which are then fetched (else refused). */
  allowRemoteRefs?: boolean;
  logger: Logger;
}

export type Importer = (source: string | Record<string, unknown>, ctx: ImportContext) => Promise<ImportedApi>;

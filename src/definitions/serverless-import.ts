import { ConfigError } from '../config/config-error.js';
import type { ImportContext, ImportedApi } from './load-definition.js';

export async function importServerless(
  _source: string | Record<string, unknown>,
  _ctx: ImportContext,
): Promise<ImportedApi> {
  throw new ConfigError('serverless-import: not available yet');
}

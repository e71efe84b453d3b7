import { ConfigError } from '../config/config-error.js';
import type { GuardContext } from './compile-guard.js';
import type { MethodGuard } from './guard.js';

/** The guard of an AWS_IAM method: a SigV4 signature checked against `awsCredentials`. */
export function createIamGuard(route: string, _ctx: GuardContext): MethodGuard {
  throw new ConfigError(`${route}: authorizationType AWS_IAM is not available yet`);
}

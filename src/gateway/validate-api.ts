import { validateAuthOptions, validateMethodAuth } from '../auth/validate-auth.js';
import type { ResolvedOptions } from '../config/types.js';
import { type FeatureChecks, validateOptions } from '../config/validate.js';
import { validateGatewayResponses } from '../responses/validate-gateway-responses.js';
import { validateUsageOptions } from '../usage/validate-usage.js';
import { validateCors } from './cors.js';

const FEATURES: FeatureChecks = {
  options(options) {
    validateAuthOptions(options);
    validateGatewayResponses(options.gatewayResponses);
  },
  cors: validateCors,
  method: validateMethodAuth,
  last: validateUsageOptions,
};

/** Every startup check of an API: the core options and each feature's, naming route and field. */
export function validateApi(options: ResolvedOptions): void {
  validateOptions(options, FEATURES);
}

import { ConfigError } from '../../config/config-error.js';
import type { HttpApiMiddleware } from '../types.js';
import { httpApiIdentityOf, isHttpApi } from './http-api-marker.js';

/** An `AWS::ApiGatewayV2::ApiMapping` to an HTTP API: the API (what `httpApi()` returned) and its stage. */
export interface HttpApiMapping {
  httpApi: HttpApiMiddleware;
  /**
   * The stage mapped, checked against the one the API serves (an API mapping always names a stage:
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-apimapping.html).
   * Callers never name it in the path.
   */
  stage?: string;
}

/** An HTTP API mapping as `customDomains()` serves it. */
export interface CompiledHttpApiMapping {
  gateway: HttpApiMiddleware;
  stage?: string;
  /** Settles once the API is ready; rejects with a ConfigError when the stage is not the API's. */
  check: () => Promise<void>;
}

const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

/** `value` read as a mapping to an HTTP API; undefined when it is none (a REST API's). */
export function compileHttpApiMapping(value: unknown, where: string): CompiledHttpApiMapping | undefined {
  let mapping: HttpApiMapping;
  if (isHttpApi(value)) mapping = { httpApi: value };
  else if (typeof value === 'object' && value !== null && 'httpApi' in value)
    mapping = value as HttpApiMapping;
  else return undefined;
  const api = mapping.httpApi;
  if (!isHttpApi(api)) throw new ConfigError(`${where}.httpApi: what httpApi() returned`);
  const { stage } = mapping;
  if (stage !== undefined && (typeof stage !== 'string' || !STAGE_NAME.test(stage)))
    throw new ConfigError(`${where}.stage: "$default" or a stage name (letters, digits, - and _)`);
  return {
    gateway: api,
    ...(stage !== undefined && { stage }),
    check: async () => {
      await api.ready;
      if (stage === undefined) return;
      const served = (await httpApiIdentityOf(api)).stage;
      if (served !== stage)
        throw new ConfigError(
          `${where}.stage: '${stage}' is not the stage this HTTP API serves ('${served}')`,
        );
    },
  };
}

import type { IncomingMessage } from 'node:http';

/**
 * What a custom domain's handler found for a request before handing it to the mapped gateway:
 * the gateway reads it to route below the base path and to fill the event and `$context`.
 */
export interface MatchedMapping {
  /** The custom domain name as configured (lower-case, no port): `requestContext.domainName`. */
  domainName: string;
  /** `/v1`, `/v1/orders`, or `''` for the root mapping. */
  basePath: string;
  /** `$context.customDomain.basePathMatched`: `v1/orders`, `(none)` for the root mapping. */
  basePathMatched: string;
  /** The mapping's stage; absent for the API's own (a bare `apiGateway()` given as the mapping). */
  stage?: string;
  /** A mapping without a stage, as AWS has them: the caller names it after the base path. */
  stageInPath: boolean;
}

const MATCHED_MAPPING = Symbol('apigw-express.matchedMapping');

type Marked = IncomingMessage & { [MATCHED_MAPPING]?: MatchedMapping };

export function markMapping(req: IncomingMessage, mapping: MatchedMapping): void {
  (req as Marked)[MATCHED_MAPPING] = mapping;
}

/** Removed when the gateway hands the request on, so a gateway mounted later sees the execute-api form. */
export function unmarkMapping(req: IncomingMessage): void {
  delete (req as Marked)[MATCHED_MAPPING];
}

export function mappingOf(req: IncomingMessage): MatchedMapping | undefined {
  return (req as Marked)[MATCHED_MAPPING];
}

/**
 * The prefix the API's resources sit under: the base path, then the stage when the mapping names
 * none (the caller gives it: `/v1/prod/pets`, https://docs.aws.amazon.com/apigateway/latest/api/API_BasePathMapping.html).
 */
export function mappedPrefix(mapping: MatchedMapping, stageName: string): string {
  return mapping.stageInPath ? `${mapping.basePath}/${stageName}` : mapping.basePath;
}

import type { MatchedMapping } from '../../http/matched-mapping.js';
import { decodeRawPath } from '../decode-raw-path.js';

/** What a custom domain changes in what the function is told. */
export interface HttpApiCustomDomain {
  /** `requestContext.domainName`; its first label is `domainPrefix`. */
  domainName: string;
  /** `$context.customDomain.basePathMatched`: `v1/orders`, `(none)` for the root mapping. */
  basePathMatched: string;
  /** Payload 1.0 `path` and `requestContext.path`: decoded, the mapping key kept. */
  path: string;
}

/** The paths one request to an HTTP API is read at. */
export interface HttpApiPaths {
  /** 2.0 `rawPath` and `requestContext.http.path`: decoded, the named stage's prefix kept. */
  rawPath: string;
  /** What the routes are matched against: below the stage, or below the mapping key. */
  routePath: string;
  customDomain?: HttpApiCustomDomain;
}

/**
 * A request's paths, on the execute-api URL (`/dev/pets/1`) or through a custom domain's API
 * mapping (`/v1/pets/1` with key `v1`). Undefined when the path cannot be decoded (AWS: 400).
 *
 * Behind a custom domain, AWS documents that 2.0's `rawPath` does not carry the mapping key while
 * 1.0's `path` does (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
 * "Payload format differences"); the one observation found has `rawPath` `/{stageName}/foo` for
 * `https://{customDomain}/{ApiMappingKey}/foo` (CodeGenieApp/serverless-express#465), and
 * Powertools' maintainers saw the stage in `rawPath` and needed no prefix stripping for 2.0
 * (aws-powertools/powertools-lambda-python#576, #579). So `rawPath` is the execute-api form:
 * stage prefix, no mapping key. 1.0's `requestContext.path` keeping the key is a guess, as REST
 * has it.
 */
export function httpApiPaths(
  targetPath: string,
  stagePrefix: string,
  mapping: MatchedMapping | undefined,
): HttpApiPaths | undefined {
  if (mapping === undefined) {
    const rawPath = decodeRawPath(targetPath);
    if (rawPath === undefined) return undefined;
    return { rawPath, routePath: rawPath.slice(stagePrefix.length) || '/' };
  }
  // `//v1/x` reached the mapping `v1` (customDomains() reads leading slashes as one).
  let start = 0;
  while (start + 1 < targetPath.length && targetPath.charCodeAt(start + 1) === 47) start++;
  // The key is matched as sent and holds no escapes: what follows it decodes alone.
  const rest = decodeRawPath(targetPath.slice(start + mapping.basePath.length));
  if (rest === undefined) return undefined;
  return {
    rawPath: `${stagePrefix}${rest}` || '/',
    routePath: rest || '/',
    customDomain: {
      domainName: mapping.domainName,
      basePathMatched: mapping.basePathMatched,
      path: `${mapping.basePath}${rest}` || '/',
    },
  };
}

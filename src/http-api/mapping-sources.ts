import type { HttpApiResponse } from './from-result.js';
import { bodyPath, type Lookup } from './parameter-mapping.js';
import { domainNameOf, type HttpApiIdentity, type HttpApiRequest } from './to-event-v2.js';

/** `$context.x` for parameter mapping (D-logvars); only `.` and `_` in names (D-pmap). */
function contextValue(name: string, request: HttpApiRequest, api: HttpApiIdentity): string | undefined {
  const host = domainNameOf(request, api);
  switch (name) {
    case 'accountId':
      return api.accountId;
    case 'apiId':
      return api.apiId;
    case 'domainName':
      return host;
    case 'domainPrefix':
      return host.split('.')[0];
    case 'customDomain.basePathMatched':
      return request.customDomain?.basePathMatched;
    case 'httpMethod':
      return request.method;
    case 'path':
      return request.rawPath;
    case 'protocol':
      return 'HTTP/1.1';
    case 'requestId':
    case 'extendedRequestId':
      return request.requestId;
    case 'requestTimeEpoch':
      return String(request.timeEpoch);
    case 'routeKey':
      return request.routeKey;
    case 'stage':
      return api.stage;
    case 'identity.sourceIp':
      return request.sourceIp;
    case 'identity.userAgent':
      return request.headers.get('user-agent')?.join(',');
    default:
      return undefined;
  }
}

function shared(ref: string, request: HttpApiRequest, api: HttpApiIdentity): string | undefined {
  if (ref.startsWith('context.')) return contextValue(ref.slice(8), request, api);
  if (ref.startsWith('stageVariables.')) {
    const name = ref.slice(15);
    return api.stageVariables && Object.hasOwn(api.stageVariables, name)
      ? api.stageVariables[name]
      : undefined;
  }
  return undefined;
}

/** Sources of a request mapping, read from the request as it arrived; `routePath` has no stage. */
export function requestLookup(request: HttpApiRequest, routePath: string, api: HttpApiIdentity): Lookup {
  const headers = new Map(request.headers);
  const query = request.query;
  const pathParameters = request.pathParameters;
  return (ref) => {
    // Header names are case-insensitive; several values are joined with commas (D-pmap).
    if (ref.startsWith('request.header.')) return headers.get(ref.slice(15).toLowerCase())?.join(',');
    if (ref.startsWith('request.querystring.')) {
      const name = ref.slice(20);
      return query && Object.hasOwn(query.multi, name) ? query.multi[name].join(',') : undefined;
    }
    if (ref === 'request.body') return request.body.toString('utf8');
    if (ref.startsWith('request.body.')) return bodyPath(request.body, ref.slice(13));
    if (ref === 'request.path') return routePath;
    if (ref.startsWith('request.path.')) {
      const name = ref.slice(13);
      return pathParameters && Object.hasOwn(pathParameters, name) ? pathParameters[name] : undefined;
    }
    return shared(ref, request, api);
  };
}

/** Sources of a response mapping: the integration's answer, `$context`, `$stageVariables`. */
export function responseLookup(
  response: HttpApiResponse,
  request: HttpApiRequest,
  api: HttpApiIdentity,
): Lookup {
  const headers = [...response.headers];
  return (ref) => {
    if (ref.startsWith('response.header.')) {
      const name = ref.slice(16).toLowerCase();
      const values = headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
      return values.length > 0 ? values.join(',') : undefined;
    }
    if (ref === 'response.body') return response.body.toString();
    if (ref.startsWith('response.body.')) return bodyPath(response.body, ref.slice(14));
    return shared(ref, request, api);
  };
}

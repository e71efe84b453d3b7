import type { HttpApiIdentity } from '../to-event-v2.js';
import type { HttpApiMiddleware } from '../types.js';

// Registered, as the REST side's compiled-API symbol is: a second copy of the library still sees it.
const HTTP_API_IDENTITY = Symbol.for('apigw-express.httpApiIdentity');

type Marked = { [HTTP_API_IDENTITY]?: () => Promise<HttpApiIdentity> };

/** Marks what `httpApi()` returns, so `customDomains()` and `definitionDomainNames()` know it for an HTTP API. */
export function markHttpApi(middleware: HttpApiMiddleware, identity: () => Promise<HttpApiIdentity>): void {
  Object.defineProperty(middleware, HTTP_API_IDENTITY, { value: identity });
}

export function isHttpApi(value: unknown): value is HttpApiMiddleware {
  return typeof value === 'function' && typeof (value as Marked)[HTTP_API_IDENTITY] === 'function';
}

/** Who the HTTP API is (its stage, id…), once its definition is read. */
export function httpApiIdentityOf(api: HttpApiMiddleware): Promise<HttpApiIdentity> {
  return ((api as unknown as Marked)[HTTP_API_IDENTITY] as () => Promise<HttpApiIdentity>)();
}

import type { Logger } from '../config/types.js';
import type { CompiledApi } from './create-gateway.js';
import { requestLogger } from './request-log.js';

type RequestApiClass = new (method: string, path: string, requestId: string) => CompiledApi;

// One class per API, made on its first request: a request's view is then one small object.
const classes = new WeakMap<CompiledApi, RequestApiClass>();

/** The API as one request sees it: its logger prefixes each line with the request. */
export function withRequestLog(
  api: CompiledApi,
  method: string,
  path: string,
  requestId: string,
): CompiledApi {
  let RequestApi = classes.get(api);
  if (RequestApi === undefined) {
    RequestApi = requestApiClass(api);
    classes.set(api, RequestApi);
  }
  return new RequestApi(method, path, requestId);
}

function requestApiClass(api: CompiledApi): RequestApiClass {
  class RequestApi {
    readonly #method: string;
    readonly #path: string;
    readonly #requestId: string;
    #logger: Logger | undefined;

    constructor(method: string, path: string, requestId: string) {
      this.#method = method;
      this.#path = path;
      this.#requestId = requestId;
    }

    // Made on first use: most requests log nothing.
    get logger(): Logger {
      this.#logger ??= requestLogger(api.logger, this.#method, this.#path, this.#requestId);
      return this.#logger;
    }
  }
  // Everything else is the API's own.
  Object.setPrototypeOf(RequestApi.prototype, api);
  return RequestApi as unknown as RequestApiClass;
}

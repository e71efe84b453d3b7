/**
 * The usage store could not count a request (Redis down, timed out…). The gateway answers it
 * as a 500 and logs the cause; it never lets the request through unmetered.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'APIGW_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface EventHeaders {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** Lower-case name → last value, for the gateway's own lookups (Content-Type, Accept, …). */
  lower: Map<string, string>;
  /** Lower-case name → the spelling used as key in `headers` / `multiValueHeaders`. */
  names: Map<string, string>;
}

// Headers API Gateway does not hand to the integration (recorded: no Content-Length or
// Connection in the event; test_apigateway_header_remapping_* for the rest).
const DROPPED = new Set([
  'content-length',
  'connection',
  'content-md5',
  'expect',
  'keep-alive',
  'max-forwards',
  'proxy-authenticate',
  'proxy-connection',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'www-authenticate',
]);

// Recorded: these two arrive title-cased whatever the client sent; every other name keeps its casing.
const CANONICAL = new Map([
  ['authorization', 'Authorization'],
  ['user-agent', 'User-Agent'],
]);

/** An own data property, so that plain assignment to it no longer reaches the prototype setter. */
function defineOwn(target: object, name: string): void {
  Object.defineProperty(target, name, {
    value: undefined,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * Builds the event's header maps from Node's `rawHeaders` (names as sent, in order). Duplicates
 * of one name (compared case-insensitively) collect in `multiValueHeaders` under the first
 * spelling seen; `headers` keeps the last value.
 */
export function toEventHeaders(rawHeaders: readonly string[]): EventHeaders {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const lower = new Map<string, string>();
  const names = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    const key = name.toLowerCase();
    if (DROPPED.has(key)) continue;
    lower.set(key, value);
    let eventName = names.get(key);
    if (eventName === undefined) {
      eventName = CANONICAL.get(key) ?? name;
      names.set(key, eventName);
      // A header named `__proto__` is a key like any other, not the objects' prototype.
      if (key === '__proto__') {
        defineOwn(headers, eventName);
        defineOwn(multiValueHeaders, eventName);
      }
      multiValueHeaders[eventName] = [value];
    } else {
      multiValueHeaders[eventName].push(value);
    }
    headers[eventName] = value;
  }
  return { headers, multiValueHeaders, lower, names };
}

/** Adds a header the gateway itself sets (X-Forwarded-*, X-Amzn-Trace-Id), replacing any client value. */
export function setGatewayHeader(target: EventHeaders, name: string, value: string): void {
  const key = name.toLowerCase();
  const existing = target.names.get(key);
  if (existing !== undefined && existing !== name) {
    delete target.headers[existing];
    delete target.multiValueHeaders[existing];
  }
  target.names.set(key, name);
  target.headers[name] = value;
  target.multiValueHeaders[name] = [value];
  target.lower.set(key, value);
}

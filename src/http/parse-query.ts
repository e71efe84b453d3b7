export interface QueryParameters {
  single: Record<string, string>;
  multi: Record<string, string[]>;
}

function decode(text: string): string {
  // Form decoding: `+` is a space (recorded: `plus=test+alias@gmail.com` → "test alias@gmail.com").
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // a stray `%` is passed through rather than failing the request
  }
}

/** `__proto__` as an own data property: assignment would set the object's prototype instead. */
function defineOwn<T>(target: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * API Gateway's query string maps: `queryStringParameters` holds the last value of each name,
 * `multiValueQueryStringParameters` all of them in order; both null when there is nothing.
 * Plain objects, so handlers can JSON.stringify / hasOwnProperty as usual; every name, `__proto__`
 * and `constructor` included, is an own property.
 */
export function parseQuery(query: string): QueryParameters | null {
  if (query === '') return null;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  let found = false;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    found = true;
    if (name === '__proto__') {
      defineOwn(single, name, value);
      if (Object.hasOwn(multi, name)) multi[name].push(value);
      else defineOwn(multi, name, [value]);
      continue;
    }
    single[name] = value;
    const list = multi[name];
    // `constructor`, `toString`…: inherited until the query names them.
    if (list !== undefined && Object.hasOwn(multi, name)) list.push(value);
    else multi[name] = [value];
  }
  return found ? { single, multi } : null;
}

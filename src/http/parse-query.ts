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

/**
 * API Gateway's query string maps: `queryStringParameters` holds the last value of each name,
 * `multiValueQueryStringParameters` all of them in order; both null when there is nothing.
 */
export function parseQuery(query: string): QueryParameters | null {
  if (query === '') return null;
  const single: Record<string, string> = Object.create(null);
  const multi: Record<string, string[]> = Object.create(null);
  let found = false;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    found = true;
    single[name] = value;
    const list = multi[name];
    if (list) list.push(value);
    else multi[name] = [value];
  }
  if (!found) return null;
  // Plain objects again, so handlers can JSON.stringify / hasOwnProperty as usual.
  return { single: { ...single }, multi: { ...multi } };
}

/**
 * The request target as RFC 9112 §3.2 reads it, parsed once: every reader of the path (routing,
 * the methodArn, the SigV4 canonical URI, the resource policy, `event.path`) starts from this.
 */
export interface RequestTarget {
  /** The path as sent, percent-escapes kept; `/` when an absolute-form target has none. */
  path: string;
  /** After `?`, undecoded; `''` when there is none. */
  query: string;
}

const SLASH = 47;

/**
 * `/a/b?q` (origin-form) or `http://host/a/b?q` (absolute-form, reduced to its path and query);
 * undefined for the asterisk (`*`) and authority (`host:443`) forms, which name no resource.
 * A fragment is never part of a target: what follows `#` is dropped, as URL readers drop it,
 * so the path routed is the path every later reader sees.
 * @example parseRequestTarget('http://h/prod/a?x=1#f') // { path: '/prod/a', query: 'x=1' }
 */
export function parseRequestTarget(target: string): RequestTarget | undefined {
  const hash = target.indexOf('#');
  const text = hash === -1 ? target : target.slice(0, hash);
  let start = 0;
  if (text.charCodeAt(0) !== SLASH) {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text);
    if (scheme === null) return undefined;
    const afterAuthority = text.slice(scheme[0].length).search(/[/?]/);
    if (afterAuthority === -1) return { path: '/', query: '' };
    start = scheme[0].length + afterAuthority;
  }
  const q = text.indexOf('?', start);
  const path = q === -1 ? text.slice(start) : text.slice(start, q);
  return { path: path === '' ? '/' : path, query: q === -1 ? '' : text.slice(q + 1) };
}

/**
 * A path that URL readers resolve into another path: a `.` or `..` segment (also as `%2e`), or a
 * backslash, which WHATWG URL reads as `/`. Routing takes segments as sent, so such a path could
 * be guarded as one resource and served as another; it is refused instead.
 */
export function isAmbiguousPath(path: string): boolean {
  if (path.includes('\\')) return true;
  if (!path.includes('.') && !/%2e/i.test(path)) return false;
  for (const segment of path.split('/')) {
    if (segment.length > 6 || segment === '') continue;
    const dots = segment.replace(/%2e/gi, '.');
    if (dots === '.' || dots === '..') return true;
  }
  return false;
}

const UNRESERVED_ESCAPE = /%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;

/**
 * A segment with its escaped unreserved characters (`%61` → `a`, `%2E` → `.`) decoded: RFC 3986
 * §6.2.2.2 makes `/ad%6din` and `/admin` one URI, so routing and the guards read them as one.
 * Reserved escapes (`%2F`, `%25`) stay as sent.
 */
export function unreservedSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  return segment.replace(UNRESERVED_ESCAPE, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * The path the guards judge: its non-empty segments joined by one slash, without the trailing
 * slash, so `/pets/7/` and `/pets//7` name the resource `/pets/7` routing matched; escaped
 * unreserved characters decoded, so `/pets/%37` is judged as `/pets/7` too.
 */
export function canonicalPath(path: string): string {
  let out = '';
  let i = 0;
  const n = path.length;
  while (i < n) {
    if (path.charCodeAt(i) === SLASH) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && path.charCodeAt(j) !== SLASH) j++;
    out += `/${unreservedSegment(path.slice(i, j))}`;
    i = j;
  }
  return out === '' ? '/' : out;
}

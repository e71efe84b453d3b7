/** `application/json; charset=utf-8` → `application/json` (lower-cased). */
export function mediaTypeOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** The first media type of an `Accept` header: API Gateway only looks at that one. */
export function firstAcceptType(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  const comma = accept.indexOf(',');
  return mediaTypeOf(comma === -1 ? accept : accept.slice(0, comma));
}

/**
 * Compiles `binaryMediaTypes` into a predicate. Entries are exact `type/subtype` or a right-side
 * wildcard `type/*`; `*` + `/` + `*` matches everything; a left wildcard is not honoured (recorded).
 */
export function compileBinaryMediaTypes(
  types: readonly string[],
): (mediaType: string | undefined) => boolean {
  if (types.length === 0) return () => false;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let any = false;
  for (const entry of types) {
    const t = entry.trim().toLowerCase();
    if (t === '*/*') any = true;
    // Recorded (test_aws_proxy_binary_response): with `*/test` configured, neither Accept
    // `random/test` nor `*/test` itself is binary — the entry matches nothing.
    else if (t.startsWith('*/')) continue;
    else if (t.endsWith('/*')) prefixes.push(t.slice(0, -1));
    else exact.add(t);
  }
  return (mediaType) => {
    if (mediaType === undefined) return false;
    if (any || exact.has(mediaType)) return true;
    for (const prefix of prefixes) if (mediaType.startsWith(prefix)) return true;
    return false;
  };
}

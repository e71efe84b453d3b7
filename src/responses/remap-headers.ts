/**
 * Response headers an integration may not set as such: API Gateway renames them to
 * `x-amzn-Remapped-{Name}` (and drops Transfer-Encoding), recorded in LocalStack's AWS-validated
 * test_apigateway_header_remapping_* snapshots.
 */
export const PROXY_REMAPPED = new Set(['connection', 'content-length', 'date', 'server']);

export const AWS_REMAPPED = new Set([
  'authorization',
  'connection',
  'content-length',
  'content-md5',
  'date',
  'expect',
  'host',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'trailer',
  'upgrade',
  'user-agent',
  'www-authenticate',
]);

/** The name a header goes out under, or undefined when API Gateway drops it. */
export function remapHeaderName(name: string, remapped: ReadonlySet<string>): string | undefined {
  const key = name.toLowerCase();
  if (key === 'transfer-encoding') return undefined;
  return remapped.has(key) ? `x-amzn-Remapped-${name}` : name;
}

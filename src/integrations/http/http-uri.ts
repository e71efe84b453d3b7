import { ConfigError } from '../../config/config-error.js';

/** One piece of an integration `uri`: literal text, a `{name}` placeholder, or a stage variable. */
export type UriPart =
  | { kind: 'text'; text: string }
  | { kind: 'path'; name: string }
  | { kind: 'stageVariable'; name: string };

/** An HTTP integration's `uri`, split once at startup. */
export interface CompiledUri {
  parts: UriPart[];
  /** The `{name}` placeholders, each to be filled by `integration.request.path.{name}`. */
  placeholders: string[];
}

const PIECE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}|\{([A-Za-z0-9._-]+)\+?\}/g;

/**
 * Splits the uri and checks that it is an absolute http(s) URL once every piece is filled in.
 * `{proxy+}` is read as `{proxy}`, as some definitions write it.
 */
export function compileUri(uri: string, where: string): CompiledUri {
  const parts: UriPart[] = [];
  const placeholders: string[] = [];
  let last = 0;
  for (const match of uri.matchAll(PIECE)) {
    if (match.index > last) parts.push({ kind: 'text', text: uri.slice(last, match.index) });
    if (match[1] !== undefined) parts.push({ kind: 'stageVariable', name: match[1] });
    else {
      parts.push({ kind: 'path', name: match[2] });
      placeholders.push(match[2]);
    }
    last = match.index + match[0].length;
  }
  if (last < uri.length) parts.push({ kind: 'text', text: uri.slice(last) });
  // A stage variable may name the host; any letters stand in for it here.
  const sample = parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    throw new ConfigError(`${where}.uri: not an absolute http(s) URL (got ${JSON.stringify(uri)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}.uri: must be an http:// or https:// URL (got ${JSON.stringify(uri)})`);
  }
  return { parts, placeholders };
}

// Kept as they are in a path: unreserved, sub-delims, ':', '@', '/', and '%' (values arrive
// percent-encoded already, as the method request's path parameters do).
// `u`: a character outside the BMP is one match, encoded as its four UTF-8 bytes.
const PATH_SAFE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu;

/** UTF-8 percent-encoding of one character; a lone surrogate becomes U+FFFD, as a UTF-8 encoder writes it. */
export function percentEncode(c: string): string {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%EF%BF%BD';
  }
}

/** A path placeholder's value, made safe to put in the URL without decoding what is encoded. */
export function encodePathValue(value: string): string {
  return value.replace(PATH_SAFE, percentEncode);
}

/** The backend URL for one request; `path` gives the placeholders' values, `stage` the stage variables. */
export function fillUri(
  uri: CompiledUri,
  path: ReadonlyMap<string, string>,
  stage: Record<string, string> | null,
): string {
  let out = '';
  for (const part of uri.parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'path') out += encodePathValue(path.get(part.name) ?? '');
    else out += stage?.[part.name] ?? '';
  }
  return out;
}

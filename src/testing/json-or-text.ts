/** The part of supertest's (superagent's) Node response a body parser reads and fills in. */
export interface ParsedResponse {
  headers: Record<string, string | string[] | undefined>;
  text: string;
  setEncoding(encoding: 'utf8'): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;

/**
 * A supertest body parser for API Gateway answers: `res.body` is the parsed JSON when the body is
 * JSON, else the body as text. API Gateway labels a proxy result without a `Content-Type`
 * `application/json` whatever its body holds (`Hello from Lambda!`), which supertest's own JSON
 * parser rejects by failing the request.
 * @example
 * const res = await request(app).get('/prod/').parse(jsonOrText);
 * expect(res.body).toBe('Hello from Lambda!');
 */
export function jsonOrText(
  res: ParsedResponse,
  callback: (error: Error | null, body: unknown) => void,
): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    text += chunk;
  });
  res.on('end', () => {
    res.text = text;
    callback(null, isJsonMediaType(res.headers['content-type']) ? parseOrKeep(text) : text);
  });
}

function isJsonMediaType(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && JSON_MEDIA_TYPE.test(contentType.trim());
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return text;
  }
}

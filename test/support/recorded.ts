import type request from 'supertest';

// Helpers for the replays of LocalStack's AWS-validated tests.

// Transport headers belong to the HTTP server, not to API Gateway's answer.
const TRANSPORT = new Set(['connection', 'keep-alive', 'date']);

/** Python's `json.dumps(value)`: `", "` and `": "` separators, non-ASCII escaped. */
export function pyDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyDumps(k)}: ${pyDumps(v)}`)
    .join(', ')}}`;
}

/** Response header lines as sent (names in their sent casing), transport headers left out. */
export function sentHeaders(res: request.Response): Record<string, string> {
  const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    if (TRANSPORT.has(raw[i].toLowerCase())) continue;
    out[raw[i]] = out[raw[i]] === undefined ? raw[i + 1] : `${out[raw[i]]}, ${raw[i + 1]}`;
  }
  return out;
}

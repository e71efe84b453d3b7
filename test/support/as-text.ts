import type { Response } from 'superagent';

/** supertest parser that keeps the body as text even when Content-Type says JSON (AWS often does that). */
export function asText(res: Response, callback: (error: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
  });
  res.on('end', () => callback(null, text));
}

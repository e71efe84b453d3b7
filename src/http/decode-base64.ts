const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 (Node's decoder skips garbage silently; API Gateway fails on it). */
export function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}

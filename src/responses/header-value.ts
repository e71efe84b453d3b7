/**
 * A response header value in the form that puts its UTF-8 bytes on the wire: Node writes header
 * strings one byte per character (ISO-8859-1) when the body is a Buffer, so each UTF-8 byte
 * becomes one character here. `café`, `€` and emoji thus go out as the UTF-8 bytes the function
 * returned, in the proxy and the mapped-header paths alike, and never fail the response; a lone
 * surrogate becomes U+FFFD, as any UTF-8 encoder writes it. (AWS publishes no recording of
 * non-ASCII header values; see the README's differences.) `send.ts` writes such a response's
 * body as a Buffer so that Node keeps these bytes as they are.
 * @example toWireHeaderValue('5 €') // → '5 â\x82¬' (the bytes 35 20 E2 82 AC)
 */
export function toWireHeaderValue(value: string): string {
  // Fast path: nearly every header is ASCII, where both encodings agree.
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) return Buffer.from(value, 'utf8').toString('latin1');
  }
  return value;
}

/** Whether a header value holds bytes outside ASCII (so the body must be written as a Buffer). */
export function isNonAsciiHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return true;
  return false;
}

import { isAscii, isUtf8 } from 'node:buffer';

// Strings under V8's large-object size (128 KiB) live on reused heap pages; a larger one is
// mapped fresh, page by page, for every request. A large body is therefore decoded in pieces
// of this size and joined: the same string, held as a rope until something reads its contents.
const PIECE = 64 * 1024;
// A multiple of 3, so that every piece's base64 is whole (no padding between pieces).
const BASE64_PIECE = 48 * 1024;

/** The body as UTF-8 text, as the runtime sees it (invalid sequences become U+FFFD). */
export function decodeUtf8(bytes: Buffer): string {
  if (bytes.length <= PIECE) return bytes.toString('utf8');
  // All ASCII: latin1 gives the same string, several times faster.
  if (isAscii(bytes)) return join(bytes, PIECE, 'latin1', pieceEnd);
  // Valid UTF-8 cut only before a lead byte decodes piece by piece as it does whole; invalid
  // input is decoded whole so that its replacement characters fall exactly where they would.
  if (isUtf8(bytes)) return join(bytes, PIECE, 'utf8', charBoundary);
  return bytes.toString('utf8');
}

/** `bytes.toString('base64')`, without a large string built in one go. */
export function encodeBase64(bytes: Buffer): string {
  if (bytes.length <= BASE64_PIECE) return bytes.toString('base64');
  return join(bytes, BASE64_PIECE, 'base64', pieceEnd);
}

function pieceEnd(_bytes: Buffer, end: number): number {
  return end;
}

/** The nearest offset at or before `end` that starts a character (not a continuation byte). */
function charBoundary(bytes: Buffer, end: number): number {
  let at = end;
  while (at > end - 3 && (bytes[at] & 0xc0) === 0x80) at--;
  return at;
}

function join(
  bytes: Buffer,
  piece: number,
  encoding: 'latin1' | 'utf8' | 'base64',
  boundary: (bytes: Buffer, end: number) => number,
): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = start + piece >= bytes.length ? bytes.length : boundary(bytes, start + piece);
    parts.push(bytes.toString(encoding, start, end));
    start = end;
  }
  // Joined pairwise: a balanced rope, shallow for V8 to flatten when a handler reads it.
  while (parts.length > 1) {
    let out = 0;
    for (let i = 0; i < parts.length; i += 2)
      parts[out++] = i + 1 < parts.length ? parts[i] + parts[i + 1] : parts[i];
    parts.length = out;
  }
  return parts[0];
}

/**
 * `rawPath` as real HTTP APIs hand it on (recorded, hotsock/voker ingress-paths.json): decoded,
 * and once more while escapes remain (`%252F` → `/`, `%2525` → `%`). A `?` that the first
 * decoding made ends the path (`question%3Fvalue` → `question`); one the second made stays
 * (`literal%253Fvalue` → `literal?value`). A path whose escapes cannot be decoded (a lone `%25`:
 * `percent%25done`) is undefined: AWS answers 400 without invoking.
 */
export function decodeRawPath(path: string): string | undefined {
  if (!path.includes('%')) return path;
  try {
    let decoded = decodeURIComponent(path);
    const q = decoded.indexOf('?');
    if (q !== -1) decoded = decoded.slice(0, q);
    return decoded.includes('%') ? decodeURIComponent(decoded) : decoded;
  } catch {
    return undefined;
  }
}

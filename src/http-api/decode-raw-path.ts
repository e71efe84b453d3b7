/**
 * `rawPath` as real HTTP APIs hand it on (recorded, hotsock/voker ingress-paths.json): decoded,
 * and once more while escapes remain (`%252F` → `/`, `%2525` → `%`); a `?` that decoding made
 * ends the path (`question%3Fvalue` → `question`). A path whose escapes cannot be decoded (a lone
 * `%25`: `percent%25done`) is undefined: AWS answers 400 without invoking.
 */
export function decodeRawPath(path: string): string | undefined {
  if (!path.includes('%')) return path;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
    if (decoded.includes('%')) decoded = decodeURIComponent(decoded);
  } catch {
    return undefined;
  }
  const q = decoded.indexOf('?');
  return q === -1 ? decoded : decoded.slice(0, q);
}

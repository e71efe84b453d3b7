import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A swagger-parser resolver: which `$ref` targets it reads, and how. */
interface RefResolver {
  order: number;
  canRead: (file: { url: string }) => boolean;
  read: (file: { url: string }) => Promise<Buffer | string>;
}

const REMOTE = /^https?:/i;

/** A `$ref` the parser hands over (a percent-encoded path, or a `file:` URL) → a file path. */
function toPath(url: string): string {
  try {
    return /^file:/i.test(url) ? fileURLToPath(url) : decodeURIComponent(url);
  } catch {
    throw new Error(`$ref "${url}": malformed path`);
  }
}

/** Whether `target` is `folder` itself or below it (both already real paths). */
function isWithin(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The resolvers an OpenAPI definition's `$ref`s go through. A definition is input: its files are
 * read only under `folder` (symbolic links followed first, so one cannot point out of it), and a
 * URL is never fetched unless `allowRemoteRefs` says so. Then any http(s) URL is fetched, loopback
 * and private addresses included, as the option trusts the definition: the parser's own filter of
 * "unsafe" hosts misses forms such as `0.0.0.0`, `127.1` or `[::ffff:127.0.0.1]`, so it is no rule to rely on.
 */
export function refResolvers(
  folder: string,
  allowRemoteRefs: boolean,
): { resolve: Record<string, unknown>; refusals: string[] } {
  // The parser reports a resolver's failure without its message: the reasons are kept here.
  const refusals: string[] = [];
  const refuse = (reason: string): Error => {
    refusals.push(reason);
    return new Error(reason);
  };
  let root: Promise<string> | undefined;
  const file: RefResolver = {
    order: 100,
    canRead: (f) => !REMOTE.test(f.url),
    async read(f) {
      let wanted: string;
      try {
        wanted = path.resolve(folder, toPath(f.url));
      } catch (error) {
        throw refuse((error as Error).message);
      }
      const outside = () =>
        refuse(
          `$ref "${f.url}": ${wanted} is outside the definition's folder ${folder}; only files under it are read`,
        );
      // Checked as written first, so nothing outside is even looked up; then with links followed.
      if (!isWithin(path.resolve(folder), wanted)) throw outside();
      root ??= realpath(folder);
      let real: string;
      try {
        real = await realpath(wanted);
      } catch (error) {
        throw refuse(`$ref "${f.url}": cannot read ${wanted}: ${(error as Error).message}`);
      }
      if (!isWithin(await root, real)) throw outside();
      return readFile(real);
    },
  };
  if (allowRemoteRefs) return { resolve: { file, http: { safeUrlResolver: false } }, refusals };
  const refused: RefResolver = {
    order: 200,
    canRead: (f) => REMOTE.test(f.url),
    read: async (f) => {
      throw refuse(`$ref "${f.url}": a URL is not fetched unless allowRemoteRefs: true is given`);
    },
  };
  return { resolve: { file, http: false, remote: refused }, refusals };
}

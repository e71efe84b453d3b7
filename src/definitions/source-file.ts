import path from 'node:path';

/** The folder relative paths of a definition are read from: its file's, or the working directory. */
export function locate(source: string | Record<string, unknown>): { baseDir: string; file?: string } {
  if (typeof source !== 'string') return { baseDir: process.cwd() };
  const file = path.resolve(source);
  return { baseDir: path.dirname(file), file };
}

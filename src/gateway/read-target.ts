/** How a request target reads below a base path: the one reading routing, guards and the event share. */
import type { IncomingMessage } from 'node:http';
import { isAmbiguousPath, parseRequestTarget } from '../http/request-target.js';

export interface ExpressFields {
  originalUrl?: string;
}

/** `//a` → `/a`: AWS collapses slashes at the start of the URL (recorded: `//stage/x` → `/stage/x`). */
function collapseLeadingSlashes(path: string): string {
  let i = 0;
  while (i < path.length && path.charCodeAt(i) === 47) i++;
  return i <= 1 ? path : path.slice(i - 1);
}

/**
 * The request's path below the base path, or undefined when the request is not ours.
 * Extra leading slashes after the stage collapse too (recorded: `/stage//x` → path `/x`).
 */
function pathBelowBase(rawPath: string, basePath: string): string | undefined {
  let rest = rawPath;
  if (basePath !== '') {
    if (!rawPath.startsWith(basePath)) return undefined;
    rest = rawPath.slice(basePath.length);
    if (rest !== '' && rest.charCodeAt(0) !== 47) return undefined; // `/prodx` is not `/prod`
  }
  return rest === '' ? '/' : collapseLeadingSlashes(rest);
}

/** The one reading of the request target that routing, guards and the event share. */
export interface TargetPaths {
  /** Below the base path: what routing matches, and the event's `path` on the execute-api URL. */
  path: string;
  /** The event's `path` through a custom domain: the base path kept (absent otherwise). */
  mappedPath?: string;
  /** `requestContext.path`, and what a SigV4 signature covers. */
  requestPath: string;
  query: string;
  /** URL readers would resolve it elsewhere (dot segments, a backslash): refused with 400. */
  ambiguous: boolean;
}

/**
 * `req.url` (below any Express mount) and `originalUrl` (the target as sent), parsed alike;
 * undefined when the request is not ours. A target whose dot segments a URL reader would resolve
 * into the base path is ours too, so it is refused rather than handed on.
 */
export function readTarget(req: IncomingMessage, basePath: string, mapped = false): TargetPaths | undefined {
  const url = req.url ?? '/';
  const originalUrl = (req as ExpressFields).originalUrl ?? url;
  const own = parseRequestTarget(url);
  const sent = originalUrl === url ? own : parseRequestTarget(originalUrl);
  if (own === undefined || sent === undefined) return undefined;
  const rawPath = collapseLeadingSlashes(own.path);
  const ambiguous = isAmbiguousPath(sent.path);
  const path = pathBelowBase(ambiguous ? resolvedPath(rawPath) : rawPath, basePath);
  if (path === undefined) return undefined;
  const requestPath = collapseLeadingSlashes(sent.path);
  if (mapped) return { path, mappedPath: rawPath, requestPath, query: own.query, ambiguous };
  return { path, requestPath, query: own.query, ambiguous };
}

/** How a WHATWG URL reader resolves a path (dot segments, backslashes). */
function resolvedPath(path: string): string {
  try {
    return new URL(path, 'http://h').pathname;
  } catch {
    return path;
  }
}

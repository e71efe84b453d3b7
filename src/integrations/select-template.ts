import type { PassthroughBehavior } from '../config/types.js';

export type RequestTemplateChoice<T> =
  | { kind: 'template'; template: T }
  | { kind: 'passthrough' }
  | { kind: 'unsupported' };

/**
 * The request template for a Content-Type (MIME type only; none → `application/json`), or what
 * the passthrough behaviour says to do when none matches (D-pass table).
 */
export function selectRequestTemplate<T>(
  templates: ReadonlyMap<string, T>,
  mediaType: string | undefined,
  passthroughBehavior: PassthroughBehavior,
): RequestTemplateChoice<T> {
  const template = templates.get(mediaType ?? 'application/json');
  if (template !== undefined) return { kind: 'template', template };
  if (passthroughBehavior === 'NEVER') return { kind: 'unsupported' };
  if (passthroughBehavior === 'WHEN_NO_TEMPLATES' && templates.size > 0) return { kind: 'unsupported' };
  return { kind: 'passthrough' };
}

/**
 * The response template for the request's first Accept type (none → `application/json`), else
 * the first template declared. Returns the content type with it, which becomes Content-Type.
 */
export function selectResponseTemplate<T>(
  templates: ReadonlyMap<string, T>,
  acceptType: string | undefined,
): [string, T] | undefined {
  if (templates.size === 0) return undefined;
  const wanted = acceptType === undefined || acceptType === '*/*' ? 'application/json' : acceptType;
  const exact = templates.get(wanted);
  if (exact !== undefined) return [wanted, exact];
  return templates.entries().next().value;
}

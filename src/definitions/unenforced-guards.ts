import { ConfigError } from '../config/config-error.js';
import type { HttpMethod, Logger, ResourceDefinition } from '../config/types.js';

/** A restriction a definition declares that cannot be enforced here. */
export interface UnenforcedGuard {
  /** The method it guards (`GET /items`); absent when it guards the whole API. */
  route?: string;
  /** Where the definition declares it, and what it is: `provider.endpointType: PRIVATE (…)`. */
  guard: string;
}

/** The option that serves such an API anyway, its guards dropped. */
export const SERVE_OPEN_OPTION = 'serveUnenforcedGuardsOpen';

/**
 * A guard that cannot be enforced never silently opens a method: without `serveOpen` the API
 * refuses to start with a ConfigError naming every such guard; with it, each method served open
 * is logged, one line per method.
 */
export function settleGuards(
  definition: string,
  guards: UnenforcedGuard[],
  resources: Record<string, ResourceDefinition>,
  serveOpen: boolean,
  logger: Logger,
): void {
  if (guards.length === 0) return;
  if (!serveOpen) {
    const named = guards.map((g) => (g.route ? `${g.route}: ${g.guard}` : g.guard)).join('; ');
    throw new ConfigError(
      `${definition}: ${named}: cannot be enforced here, so the API is not served (${SERVE_OPEN_OPTION}: true, or --serve-unenforced-guards-open, serves it open anyway)`,
    );
  }
  const byRoute = new Map<string, string[]>();
  const whole = guards.filter((g) => g.route === undefined).map((g) => g.guard);
  for (const [path, resource] of Object.entries(resources)) {
    for (const method of Object.keys(resource) as (HttpMethod | 'cors')[]) {
      if (method !== 'cors' && whole.length > 0) byRoute.set(`${method} ${path}`, [...whole]);
    }
  }
  for (const g of guards) {
    if (g.route === undefined) continue;
    byRoute.set(g.route, [...(byRoute.get(g.route) ?? []), g.guard]);
  }
  for (const [route, dropped] of byRoute) {
    logger.warn(
      `apigw-express: ${definition}: ${route} served open (${SERVE_OPEN_OPTION}): ${dropped.join('; ')}`,
    );
  }
}

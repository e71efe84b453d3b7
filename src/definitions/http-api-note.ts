/**
 * How a REST importer names the part of a definition that is an HTTP API (v2): `apiGateway()`
 * leaves it to `httpApi()`, and `apigw-express serve` serves it beside the REST API, so the CLI
 * drops these notes from the REST API's "left out" warning when it serves them.
 */
const SERVED_BY = 'httpApi() serves it; apigw-express serve serves both';

/** `Web: Events.Get: HttpApi (an HTTP API: httpApi() serves it; …)`. */
export function httpApiNote(what: string): string {
  return `${what} (an HTTP API: ${SERVED_BY})`;
}

/** Whether a "not supported" item is such a note. */
export function isHttpApiNote(item: string): boolean {
  return item.endsWith(`(an HTTP API: ${SERVED_BY})`);
}

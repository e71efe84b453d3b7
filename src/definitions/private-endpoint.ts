const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `{ types: ['PRIVATE'] }`, as the extension (and CloudFormation's `EndpointConfiguration`) writes it.
 * A private API is callable only through an interface VPC endpoint, which nothing local can check
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html).
 */
export function isPrivateEndpoint(configuration: unknown): boolean {
  if (typeof configuration === 'string') return configuration.toUpperCase() === 'PRIVATE'; // SAM's short form
  if (!isObject(configuration)) return false;
  const types = configuration.types ?? configuration.Types ?? configuration.Type;
  const list = Array.isArray(types) ? types : [types];
  return list.some((type) => String(type).toUpperCase() === 'PRIVATE');
}

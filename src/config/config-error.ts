/** Thrown by `apiGateway()` for a config API Gateway would refuse; the message names the route and field. */
export class ConfigError extends Error {
  readonly code = 'APIGW_CONFIG_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

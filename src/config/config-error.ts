/** Thrown by `apiGateway()` for a config API Gateway would refuse; the message names the route and field. */
export class ConfigError extends Error {
  readonly code = 'APIGW_CONFIG_ERROR';
  /** Every problem found, one line each; the message lists them all. */
  readonly problems: string[];
  constructor(message: string, problems?: string[]) {
    super(message);
    this.name = 'ConfigError';
    this.problems = problems ?? [message];
  }
}

/** One ConfigError for all the problems found: the message alone for one, a line each for several. */
export function configErrors(problems: string[]): ConfigError {
  if (problems.length === 1) return new ConfigError(problems[0]);
  return new ConfigError(
    `${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    problems,
  );
}

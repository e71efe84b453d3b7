import { ConfigError } from '../config/config-error.js';
import type { AccessLogDestination, Logger, ResolvedOptions } from '../config/types.js';
import type { ApiIdentity } from '../http/gateway-request.js';
import type { RequestFacts } from '../http/request-facts.js';
import { type AccessLogRenderer, type AccessLogScope, compileAccessLogFormat } from './access-log-format.js';
import { StageMetrics } from './stage-metrics.js';

export type Sink = (line: string) => void;

/**
 * A function is called with each line; a stream (`write`) gets the line and a newline, so a file
 * or stdout reads as CloudWatch's one event per line; a logger (`info`) gets the bare line, so
 * pino or console adds its own framing.
 */
export function toSink(destination: AccessLogDestination | undefined): Sink {
  if (destination === undefined) return (line) => void process.stdout.write(`${line}\n`);
  if (typeof destination === 'function') return destination;
  if (typeof destination === 'object' && destination !== null) {
    if (typeof (destination as { write?: unknown }).write === 'function') {
      const stream = destination as { write(chunk: string): unknown };
      return (line) => void stream.write(`${line}\n`);
    }
    if (typeof (destination as { info?: unknown }).info === 'function') {
      const logger = destination as { info(line: string): void };
      return (line) => logger.info(line);
    }
  }
  throw new ConfigError(
    'accessLogSettings.destination: a function, a writable stream (write) or a logger (info)',
  );
}

/** What a stage records of each answered request: its access-log line and its metrics. */
export class StageLog {
  private warnedSink = false;

  constructor(
    private readonly scope: AccessLogScope,
    private readonly logger: Logger,
    private readonly render: AccessLogRenderer | undefined,
    private readonly sink: Sink | undefined,
    private readonly metrics: StageMetrics | undefined,
  ) {}

  /** Once the answer is sent. A failing destination or meter never changes the answer. */
  record(facts: RequestFacts): void {
    try {
      if (this.render !== undefined) (this.sink as Sink)(this.render(facts, this.scope));
      this.metrics?.record(facts);
    } catch (error) {
      if (this.warnedSink) return;
      this.warnedSink = true;
      this.logger.error('apigw-express: access log or metrics failed (said once):', error);
    }
  }
}

/** `methodSettings[].metricsEnabled`, checked wherever metrics are read from. */
function checkMethodSettings(options: ResolvedOptions): void {
  (options.methodSettings ?? []).forEach((setting, i) => {
    const value = (setting as { metricsEnabled?: unknown }).metricsEnabled;
    if (value !== undefined && typeof value !== 'boolean') {
      throw new ConfigError(
        `methodSettings[${i}].metricsEnabled: true or false (got ${JSON.stringify(value)})`,
      );
    }
  });
}

/**
 * The stage's access log and metrics, compiled once; undefined when both are off, so a request
 * pays one check. Throws ConfigError naming the field.
 */
export function createStageLog(
  options: ResolvedOptions,
  identity: ApiIdentity,
  basePath: string,
  logger: Logger,
): StageLog | undefined {
  checkMethodSettings(options);
  const settings = options.accessLogSettings;
  const metricsOption = options.metrics;
  if (settings === undefined && metricsOption === undefined) return undefined;
  let render: AccessLogRenderer | undefined;
  let sink: Sink | undefined;
  if (settings !== undefined) {
    if (typeof settings !== 'object' || settings === null) {
      throw new ConfigError('accessLogSettings: an object { format, destination? }');
    }
    const extra = Object.keys(settings).filter((key) => key !== 'format' && key !== 'destination');
    if (extra.length > 0) {
      throw new ConfigError(`accessLogSettings: unknown field "${extra[0]}" (allowed: format, destination)`);
    }
    // AWS takes a name it does not document and logs "-" for it: said once here, as a likely typo.
    render = compileAccessLogFormat(settings.format, (name) =>
      logger.warn(
        `apigw-express: accessLogSettings.format: $context.${name} is not an access-log variable; it logs "-"`,
      ),
    );
    sink = toSink(settings.destination);
  }
  let metrics: StageMetrics | undefined;
  if (metricsOption !== undefined) {
    if (typeof metricsOption !== 'object' || metricsOption === null) {
      throw new ConfigError('metrics: an object { meter, apiName? }');
    }
    const apiName = metricsOption.apiName ?? identity.restApiId;
    if (typeof apiName !== 'string' || apiName === '') {
      throw new ConfigError('metrics.apiName: a non-empty string');
    }
    metrics = new StageMetrics(
      metricsOption.meter,
      apiName,
      identity.stageName,
      options.methodSettings ?? [],
    );
  }
  // The execute-api URL (`/{stage}`) matched no base path mapping; any other base path is one.
  const basePathMatched =
    basePath === `/${identity.stageName}` || basePath === '' ? '(none)' : basePath.slice(1);
  return new StageLog({ identity, basePathMatched }, logger, render, sink, metrics);
}

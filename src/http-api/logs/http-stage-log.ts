import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../../config/config-error.js';
import type { AccessLogSettings, Logger } from '../../config/types.js';
import { type Sink, toSink } from '../../gateway/stage-log.js';
import { HTTP_API_ERRORS, type HttpApiErrorType } from '../http-api-errors.js';
import type { HttpApiIdentity } from '../to-event-v2.js';
import type { HttpApiMetricsOptions } from '../types.js';
import { compileHttpAccessLogFormat, type HttpAccessLogRenderer } from './http-access-log-format.js';
import { HttpApiFacts } from './http-api-facts.js';
import { HttpApiMetrics } from './http-api-metrics.js';

// Every answer of §7 has its own status: a status the integration did not send names it.
const ERROR_BY_STATUS = new Map<number, HttpApiErrorType>(
  (Object.entries(HTTP_API_ERRORS) as [HttpApiErrorType, { statusCode: number }][]).map(([type, e]) => [
    e.statusCode,
    type,
  ]),
);

/** What an HTTP API stage records of each answered request: its access-log line and its metrics. */
export class HttpStageLog {
  private warned = false;

  constructor(
    private readonly identity: HttpApiIdentity,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly render: HttpAccessLogRenderer | undefined,
    private readonly sink: Sink | undefined,
    private readonly metrics: HttpApiMetrics | undefined,
  ) {}

  begin(req: IncomingMessage): HttpApiFacts {
    return new HttpApiFacts(this.clock(), req);
  }

  /** Once the request is over. Requests outside the stage, or never answered, are not logged. */
  finish(facts: HttpApiFacts, res: ServerResponse): void {
    if (facts.requestId === '' || !res.headersSent) return;
    facts.endedAt = this.clock();
    facts.status = res.statusCode;
    if (facts.response === undefined) facts.errorType = ERROR_BY_STATUS.get(facts.status);
    try {
      if (this.render !== undefined)
        (this.sink as Sink)(
          this.render(facts, {
            identity: this.identity,
            basePathMatched: facts.request?.customDomain?.basePathMatched,
          }),
        );
      this.metrics?.record(facts, facts.dataProcessed() ?? 0);
    } catch (error) {
      // A failing destination or meter never changes the answer; said once.
      if (this.warned) return;
      this.warned = true;
      this.logger.error('apigw-express: access log or metrics failed (said once):', error);
    }
  }
}

/**
 * The stage's access log and metrics, compiled once; undefined when both are off, so a request
 * pays one check. Throws ConfigError naming the field.
 */
export function createHttpStageLog(
  settings: AccessLogSettings | undefined,
  metricsOption: HttpApiMetricsOptions | undefined,
  identity: HttpApiIdentity,
  clock: () => number,
  logger: Logger,
): HttpStageLog | undefined {
  if (settings === undefined && metricsOption === undefined) return undefined;
  let render: HttpAccessLogRenderer | undefined;
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
    render = compileHttpAccessLogFormat(settings.format, (name) =>
      logger.warn(
        `apigw-express: accessLogSettings.format: $context.${name} is not an HTTP API access-log variable; it logs "-"`,
      ),
    );
    sink = toSink(settings.destination);
  }
  let metrics: HttpApiMetrics | undefined;
  if (metricsOption !== undefined) {
    if (typeof metricsOption !== 'object' || metricsOption === null) {
      throw new ConfigError('metrics: an object { meter, detailedMetricsEnabled? }');
    }
    const extra = Object.keys(metricsOption).filter((k) => k !== 'meter' && k !== 'detailedMetricsEnabled');
    if (extra.length > 0) {
      throw new ConfigError(`metrics: unknown field "${extra[0]}" (allowed: meter, detailedMetricsEnabled)`);
    }
    const detailed = metricsOption.detailedMetricsEnabled;
    if (detailed !== undefined && typeof detailed !== 'boolean') {
      throw new ConfigError(
        `metrics.detailedMetricsEnabled: true or false (got ${JSON.stringify(detailed)})`,
      );
    }
    metrics = new HttpApiMetrics(metricsOption.meter, identity.apiId, identity.stage, detailed === true);
  }
  return new HttpStageLog(identity, clock, logger, render, sink, metrics);
}

import { ConfigError } from '../../config/config-error.js';
import type { MetricsMeter } from '../../config/types.js';
import type { HttpApiFacts } from './http-api-facts.js';

type Attributes = Record<string, string>;

/**
 * An HTTP API stage's CloudWatch metrics (namespace AWS/ApiGateway), named as CloudWatch names
 * them for HTTP APIs — `4xx` and `5xx`, not REST's `4XXError`, plus `DataProcessed`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html).
 * Dimensions ApiId and Stage; Method and Resource too with detailed metrics.
 */
export class HttpApiMetrics {
  private readonly count;
  private readonly error4xx;
  private readonly error5xx;
  private readonly latency;
  private readonly integrationLatency;
  private readonly dataProcessed;
  private readonly stageAttributes: Attributes;
  /** Route key → its attributes, made once per route. */
  private readonly routeAttributes = new Map<string, Attributes>();

  constructor(
    meter: MetricsMeter,
    apiId: string,
    stage: string,
    private readonly detailed: boolean,
  ) {
    if (typeof meter?.createCounter !== 'function' || typeof meter.createHistogram !== 'function') {
      throw new ConfigError(
        'metrics.meter: an OpenTelemetry Meter (metrics.getMeter(…) from @opentelemetry/api)',
      );
    }
    this.count = meter.createCounter('Count', { description: 'Total API requests' });
    this.error4xx = meter.createCounter('4xx', { description: 'Client-side errors' });
    this.error5xx = meter.createCounter('5xx', { description: 'Server-side errors' });
    this.latency = meter.createHistogram('Latency', {
      description: 'Time from the request to the response, ms',
      unit: 'ms',
    });
    this.integrationLatency = meter.createHistogram('IntegrationLatency', {
      description: 'Time from the backend call to its answer, ms',
      unit: 'ms',
    });
    this.dataProcessed = meter.createCounter('DataProcessed', {
      description: 'Request and response payload bytes',
      unit: 'By',
    });
    this.stageAttributes = { ApiId: apiId, Stage: stage };
  }

  private attributesOf(routeKey: string | undefined): Attributes {
    if (!this.detailed || routeKey === undefined) return this.stageAttributes;
    let attributes = this.routeAttributes.get(routeKey);
    if (attributes === undefined) {
      // `GET /pets/{id}` → Method GET, Resource /pets/{id}; `$default` is both.
      const space = routeKey.indexOf(' ');
      attributes = {
        ...this.stageAttributes,
        Method: space === -1 ? routeKey : routeKey.slice(0, space),
        Resource: space === -1 ? routeKey : routeKey.slice(space + 1),
      };
      this.routeAttributes.set(routeKey, attributes);
    }
    return attributes;
  }

  record(facts: HttpApiFacts, bytes: number): void {
    const attributes = this.attributesOf(facts.routeKey);
    this.count.add(1, attributes);
    if (facts.status >= 400 && facts.status < 500) this.error4xx.add(1, attributes);
    else if (facts.status >= 500) this.error5xx.add(1, attributes);
    if (facts.endedAt >= 0) this.latency.record(Math.max(0, facts.endedAt - facts.startedAt), attributes);
    if (facts.integrationLatency >= 0) this.integrationLatency.record(facts.integrationLatency, attributes);
    this.dataProcessed.add(bytes, attributes);
  }
}

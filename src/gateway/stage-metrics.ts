import { ConfigError } from '../config/config-error.js';
import type { MethodSetting, MetricsMeter } from '../config/types.js';
import type { RequestFacts } from '../http/request-facts.js';

type Attributes = Record<string, string>;
interface Counter {
  add(value: number, attributes?: Attributes): void;
}
interface Histogram {
  record(value: number, attributes?: Attributes): void;
}

/**
 * The stage's CloudWatch metrics (namespace AWS/ApiGateway), as OpenTelemetry instruments of the
 * meter the user passes, named as CloudWatch names them
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 * Dimensions ApiName and Stage; Method and Resource too for a method whose methodSettings
 * turn on `metricsEnabled` (detailed metrics). Nothing of OpenTelemetry is loaded here: the
 * meter brings its own code.
 */
export class StageMetrics {
  private readonly count: Counter;
  private readonly error4xx: Counter;
  private readonly error5xx: Counter;
  private readonly latency: Histogram;
  private readonly integrationLatency: Histogram;
  private readonly cacheHit: Counter;
  private readonly cacheMiss: Counter;
  private readonly stageAttributes: Attributes;
  /** `{resourcePath} {httpMethod}` → its attributes, made once per method. */
  private readonly methodAttributes = new Map<string, Attributes>();

  constructor(
    meter: MetricsMeter,
    apiName: string,
    stageName: string,
    private readonly methodSettings: MethodSetting[],
  ) {
    if (typeof meter?.createCounter !== 'function' || typeof meter.createHistogram !== 'function') {
      throw new ConfigError(
        'metrics.meter: an OpenTelemetry Meter (metrics.getMeter(…) from @opentelemetry/api)',
      );
    }
    this.count = meter.createCounter('Count', { description: 'Total API requests' });
    this.error4xx = meter.createCounter('4XXError', { description: 'Client-side errors' });
    this.error5xx = meter.createCounter('5XXError', { description: 'Server-side errors' });
    this.latency = meter.createHistogram('Latency', {
      description: 'Time from the request to the response, ms',
      unit: 'ms',
    });
    this.integrationLatency = meter.createHistogram('IntegrationLatency', {
      description: 'Time from the backend call to its answer, ms',
      unit: 'ms',
    });
    this.cacheHit = meter.createCounter('CacheHitCount', {
      description: 'Authorizer results from the cache',
    });
    this.cacheMiss = meter.createCounter('CacheMissCount', {
      description: 'Authorizer results computed (cache enabled)',
    });
    this.stageAttributes = { ApiName: apiName, Stage: stageName };
  }

  /** Whether `metricsEnabled` is on for the method: the most specific setting that says wins. */
  private detailed(resourcePath: string, httpMethod: string): boolean {
    let best: { score: number; on: boolean } | undefined;
    for (const setting of this.methodSettings) {
      if (setting.metricsEnabled === undefined) continue;
      const pathHit =
        setting.resourcePath === '/*' ||
        setting.resourcePath === '*' ||
        setting.resourcePath === resourcePath;
      const methodHit = setting.httpMethod === '*' || setting.httpMethod.toUpperCase() === httpMethod;
      if (!pathHit || !methodHit) continue;
      const score = (setting.resourcePath === resourcePath ? 2 : 0) + (setting.httpMethod !== '*' ? 1 : 0);
      if (best === undefined || score >= best.score) best = { score, on: setting.metricsEnabled };
    }
    return best?.on === true;
  }

  private attributesOf(facts: RequestFacts): Attributes {
    const resourcePath = facts.route?.resourcePath;
    const httpMethod = facts.methodKey;
    if (resourcePath === undefined || httpMethod === undefined) return this.stageAttributes;
    const key = `${resourcePath} ${httpMethod}`;
    let attributes = this.methodAttributes.get(key);
    if (attributes === undefined) {
      attributes = this.detailed(resourcePath, httpMethod)
        ? { ...this.stageAttributes, Method: httpMethod, Resource: resourcePath }
        : this.stageAttributes;
      this.methodAttributes.set(key, attributes);
    }
    return attributes;
  }

  record(facts: RequestFacts): void {
    const attributes = this.attributesOf(facts);
    this.count.add(1, attributes);
    if (facts.status >= 400 && facts.status < 500) this.error4xx.add(1, attributes);
    else if (facts.status >= 500) this.error5xx.add(1, attributes);
    if (facts.endedAt >= 0) this.latency.record(Math.max(0, facts.endedAt - facts.startedAt), attributes);
    if (facts.integrationLatency >= 0) this.integrationLatency.record(facts.integrationLatency, attributes);
    if (facts.authorizerCacheHit === true) this.cacheHit.add(1, attributes);
    else if (facts.authorizerCacheHit === false) this.cacheMiss.add(1, attributes);
  }
}

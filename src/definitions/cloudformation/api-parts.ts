import type { ResolvedOptions } from '../../config/types.js';

/** One REST API of a template, in our options, with the stages it can be served as. */
export interface ApiParts
  extends Pick<
    ResolvedOptions,
    | 'resources'
    | 'authorizers'
    | 'models'
    | 'requestValidators'
    | 'gatewayResponses'
    | 'binaryMediaTypes'
    | 'apiKeySource'
    | 'apiKeys'
    | 'usagePlans'
    | 'resourcePolicy'
    | 'disableExecuteApiEndpoint'
  > {
  logicalId: string;
  /** Stage name → its variables and method settings, in template order (the first is the default). */
  stages: Map<string, StageSettings>;
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A quota as our usage plans take it, from CloudFormation's `{ Limit, Offset, Period }`. */
export function toQuota(quota: unknown): NonNullable<ResolvedOptions['usagePlans']>[number]['quota'] {
  if (!isObject(quota)) return undefined;
  return {
    limit: Number(quota.Limit),
    period: String(quota.Period) as 'DAY' | 'WEEK' | 'MONTH',
    ...(quota.Offset !== undefined ? { offset: Number(quota.Offset) } : {}),
  };
}

/** A throttle from CloudFormation's `{ BurstLimit, RateLimit }`. */
export function toThrottle(throttle: unknown): { rateLimit: number; burstLimit: number } | undefined {
  if (!isObject(throttle)) return undefined;
  return { rateLimit: Number(throttle.RateLimit), burstLimit: Number(throttle.BurstLimit) };
}

/** What a template's stage sets: its variables, method settings and access log. */
export type StageSettings = Pick<ResolvedOptions, 'stageVariables' | 'methodSettings' | 'accessLogSettings'>;

/** The error payload the Node.js runtime sends for a failed invocation (its `toRapidResponse`). */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** A handler's failure is data: AWS selects on it, so nothing is thrown past `invoke`. */
export type InvokeOutcome =
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: LambdaErrorPayload }
  | { kind: 'timeout'; error: LambdaErrorPayload };

export interface InvokeOptions {
  requestId: string;
  /** The integration gives up first when its timeout is shorter than the function's. */
  integrationTimeoutMs: number;
}

/** Outcome of the race with the integration timeout. */
export type InvokeResult =
  | InvokeOutcome
  | { kind: 'integration-timeout' }
  /** Lambda refused the call (429 TooManyRequestsException): past an isolated function's reservedConcurrency. */
  | { kind: 'throttled'; error: LambdaErrorPayload };

/** An invocation's result in the shape `invoke` gives, plus a throttle. */
export type IsolatedInvokeResult = InvokeResult | { kind: 'throttled'; error: LambdaErrorPayload };

/** What `invoke` hands an isolated function's invocations to. */
export interface IsolatedRunner {
  invoke(event: unknown, options: InvokeOptions): Promise<IsolatedInvokeResult>;
  /** Ends its environments. */
  close(): Promise<void>;
}

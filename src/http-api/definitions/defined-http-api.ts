import type { HttpApiOptions } from '../types.js';
import type { ProblemSources } from './place-problems.js';

/** The HTTP API options a definition declares: one per API, keyed by its logical id or service. */
export interface DefinedHttpApi {
  /** Logical id (`ServerlessHttpApi` for SAM's implicit API) or the serverless service name. */
  name: string;
  options: Pick<
    HttpApiOptions,
    | 'routes'
    | 'functions'
    | 'stageName'
    | 'stageVariables'
    | 'authorizers'
    | 'cors'
    | 'throttle'
    | 'routeSettings'
    | 'accessLogSettings'
    | 'disableExecuteApiEndpoint'
  >;
  /**
   * Where in the definition each option was read: `routes["GET /"]` →
   * `Resources.Fn.Properties.Events.Get.Properties`, so a startup error names the field there.
   */
  sources?: ProblemSources;
}

import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayTokenAuthorizerEvent,
  Handler,
} from 'aws-lambda';
import type {
  ApiGatewayOptions,
  Authorizer,
  CognitoAuthorizer,
  FunctionDefinition,
  HttpMethod,
  Integration,
  LambdaAuthorizer,
  LambdaHandler,
  Method,
  ResourceDefinition,
} from './types.js';

// Types that give each inline handler of `functions` the event and result of what invokes it,
// read from the `resources` and `authorizers` written in the same call. A function the call
// does not name in an AWS_PROXY integration or a Lambda authorizer (AWS integrations, `uri`
// references, definitions read from files) keeps `LambdaHandler`.

/** A proxy result; API Gateway answers an empty body for one without `body` (`{ statusCode: 204 }`). */
type ProxyResult = Omit<APIGatewayProxyResult, 'body'> & Partial<Pick<APIGatewayProxyResult, 'body'>>;
/** A handler invoked by an AWS_PROXY integration. */
type ProxyHandler = Handler<APIGatewayProxyEvent, ProxyResult>;
/** A handler invoked by a TOKEN authorizer. */
type TokenAuthorizerHandler = Handler<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>;
/** A handler invoked by a REQUEST authorizer. */
type RequestAuthorizerHandler = Handler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>;

type MethodsOf<R> = { [P in keyof R]: R[P][keyof R[P] & HttpMethod] }[keyof R];

/** Names of the functions `resources` calls through AWS_PROXY integrations. */
type ProxyFunctionNames<R> =
  MethodsOf<R> extends infer M
    ? M extends { integration: { type: 'AWS_PROXY'; function: infer F extends string } }
      ? F
      : never
    : never;

/** Names of the functions `authorizers` of `type` call. */
type AuthorizerFunctionNames<A, T extends 'TOKEN' | 'REQUEST'> = {
  [K in keyof A]: A[K] extends { type: T; function: infer F extends string } ? F : never;
}[keyof A];

/** The handler type of function `N`. */
export type HandlerOf<N, R, A> =
  N extends ProxyFunctionNames<R>
    ? ProxyHandler
    : N extends AuthorizerFunctionNames<A, 'TOKEN'>
      ? TokenAuthorizerHandler
      : N extends AuthorizerFunctionNames<A, 'REQUEST'>
        ? RequestAuthorizerHandler
        : LambdaHandler;

/** `functions`, each typed by what invokes it. */
export type TypedFunctions<Name extends string, R, A> = {
  [N in Name]:
    | HandlerOf<N, R, A>
    | (Omit<FunctionDefinition, 'handler'> & { handler: HandlerOf<N, R, A> | string });
};

// Inferring `resources` and `authorizers` exactly loses TypeScript's excess-property check on
// them, so a misspelt field is given a type no value has instead.
declare const notAnOption: unique symbol;
/** What a misspelt field must be, so that the error names it: `… is not assignable to type 'NotAFieldOf<"Method">'`. */
export interface NotAFieldOf<Where extends string> {
  readonly [notAnOption]: Where;
}
type UnknownKeys<O, Known, Where extends string> = {
  [K in Exclude<keyof NonNullable<O>, keyof Known>]: NotAFieldOf<Where>;
};
type IntegrationOf<M> = NonNullable<M> extends { integration: infer I } ? I : unknown;

export type KnownResourceKeys<R> = string extends keyof R
  ? unknown
  : {
      [P in keyof R]: UnknownKeys<R[P], ResourceDefinition, 'ResourceDefinition'> & {
        [H in keyof R[P] & HttpMethod]?: UnknownKeys<R[P][H], Method, 'Method'> & {
          integration: UnknownKeys<IntegrationOf<R[P][H]>, Integration, 'Integration'>;
        };
      };
    };

export type KnownAuthorizerKeys<A> = string extends keyof A
  ? unknown
  : {
      [K in keyof A]: A[K] extends { type: 'COGNITO_USER_POOLS' }
        ? UnknownKeys<A[K], CognitoAuthorizer, 'CognitoAuthorizer'>
        : UnknownKeys<A[K], LambdaAuthorizer, 'LambdaAuthorizer'>;
    };

/** `ApiGatewayOptions` whose inline handlers are typed by the integration or authorizer that names them. */
export type TypedApiGatewayOptions<
  Name extends string,
  R extends Record<string, ResourceDefinition>,
  A extends Record<string, Authorizer>,
> = Omit<ApiGatewayOptions, 'resources' | 'authorizers' | 'functions'> & {
  /** Resource path (`/`, `/items/{id}`, `/files/{proxy+}`) → methods (and `cors`); required unless a definition gives them. */
  resources?: R & NoInfer<KnownResourceKeys<R>>;
  /** Authorizer name → authorizer, referenced by methods' `authorizer`. */
  authorizers?: A & NoInfer<KnownAuthorizerKeys<A>>;
  /**
   * Lambda function name → handler, or a full definition. A handler named by an AWS_PROXY
   * integration takes `APIGatewayProxyEvent` and returns `APIGatewayProxyResult` (`body` optional); one named by a
   * TOKEN or REQUEST authorizer takes that authorizer's event and returns `APIGatewayAuthorizerResult`.
   */
  functions?: TypedFunctions<Name, R, A>;
};

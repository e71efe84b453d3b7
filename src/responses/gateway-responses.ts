/** API Gateway's gateway response types (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html). */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

export interface GatewayResponseDefault {
  statusCode: number;
  /** `x-amzn-ErrorType` header value; absent where AWS sends none we could confirm. */
  errorType?: string;
  /** `$context.error.message`; null where AWS gives none (the body then reads `{"message":null}`). */
  message: string | null;
  /** The exact body bytes AWS sends: some types carry a space after the colon, some don't. */
  body: string;
}

const INTERNAL = '{"message": "Internal server error"}';

/**
 * Built-in answers, byte for byte. Bodies with `": "` are the Lambda-side errors AWS renders
 * with a space (recorded Content-Length 36 for the 500 body); the rest are the compact form.
 */
export const GATEWAY_RESPONSES = {
  ACCESS_DENIED: {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    message: 'User is not authorized to access this resource',
    body: '{"Message":"User is not authorized to access this resource"}',
  },
  API_CONFIGURATION_ERROR: {
    statusCode: 500,
    errorType: 'InternalServerErrorException',
    message: 'Internal server error',
    body: INTERNAL,
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    statusCode: 500,
    errorType: 'AuthorizerConfigurationException',
    message: null,
    body: '{"message":null}',
  },
  AUTHORIZER_FAILURE: {
    statusCode: 500,
    errorType: 'AuthorizerFailureException',
    message: null,
    body: '{"message":null}',
  },
  BAD_REQUEST_PARAMETERS: {
    statusCode: 400,
    errorType: 'BadRequestException',
    message: 'Missing required request parameters',
    body: '{"message": "Missing required request parameters"}',
  },
  BAD_REQUEST_BODY: {
    statusCode: 400,
    errorType: 'BadRequestException',
    message: 'Invalid request body',
    body: '{"message": "Invalid request body"}',
  },
  DEFAULT_4XX: {
    statusCode: 400,
    errorType: 'BadRequestException',
    message: 'Bad Request',
    body: '{"message":"Bad Request"}',
  },
  // A Lambda-side failure that no specific type covers (malformed or failed proxy result): 502.
  // AWS documents no type for it, so only DEFAULT_5XX can customise it.
  DEFAULT_5XX: {
    statusCode: 502,
    errorType: 'InternalServerErrorException',
    message: 'Internal server error',
    body: INTERNAL,
  },
  EXPIRED_TOKEN: {
    statusCode: 403,
    errorType: 'InvalidSignatureException',
    message: 'Signature expired',
    body: '{"message":"Signature expired"}',
  },
  // Recorded runtime status of an AWS_PROXY failure is 500, though GetGatewayResponses lists 504.
  INTEGRATION_FAILURE: {
    statusCode: 500,
    errorType: 'InternalServerErrorException',
    message: 'Internal server error',
    body: INTERNAL,
  },
  // Error type unrecorded on AWS; InternalServerErrorException as LocalStack sends it.
  INTEGRATION_TIMEOUT: {
    statusCode: 504,
    errorType: 'InternalServerErrorException',
    message: 'Endpoint request timed out',
    body: '{"message": "Endpoint request timed out"}',
  },
  INVALID_API_KEY: {
    statusCode: 403,
    errorType: 'ForbiddenException',
    message: 'Forbidden',
    body: '{"message":"Forbidden"}',
  },
  INVALID_SIGNATURE: {
    statusCode: 403,
    errorType: 'InvalidSignatureException',
    message: 'Forbidden',
    body: '{"message":"Forbidden"}',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 403,
    errorType: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
    body: '{"message":"Missing Authentication Token"}',
  },
  QUOTA_EXCEEDED: {
    statusCode: 429,
    errorType: 'LimitExceededException',
    message: 'Limit Exceeded',
    body: '{"message":"Limit Exceeded"}',
  },
  REQUEST_TOO_LARGE: {
    statusCode: 413,
    errorType: 'BadRequestException',
    message: 'Request Too Long',
    body: '{"message": "Request Too Long"}',
  },
  RESOURCE_NOT_FOUND: {
    statusCode: 404,
    errorType: 'NotFoundException',
    message: 'Not Found',
    body: '{"message":"Not Found"}',
  },
  THROTTLED: {
    statusCode: 429,
    errorType: 'TooManyRequestsException',
    message: 'Too Many Requests',
    body: '{"message":"Too Many Requests"}',
  },
  UNAUTHORIZED: {
    statusCode: 401,
    errorType: 'UnauthorizedException',
    message: 'Unauthorized',
    body: '{"message":"Unauthorized"}',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    statusCode: 415,
    errorType: 'UnsupportedMediaTypeException',
    message: 'Unsupported Media Type',
    body: '{"message":"Unsupported Media Type"}',
  },
  WAF_FILTERED: {
    statusCode: 403,
    errorType: 'ForbiddenException',
    message: 'Forbidden',
    body: '{"message":"Forbidden"}',
  },
} as const satisfies Record<GatewayResponseType, GatewayResponseDefault>;

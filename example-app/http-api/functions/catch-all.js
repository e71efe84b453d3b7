// GET /{proxy+}: every GET no other route matches comes here (a full path and `{id}` win over a
// greedy one) instead of API Gateway's 404 {"message":"Not Found"}. A `$default` or `ANY` catch-all
// would also take the browsers' CORS preflights (OPTIONS), which API Gateway otherwise answers itself.
// (https://dev.to/aws-builders/fixing-up-cors-errors-in-http-api-5fh4, and the $default note of
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html)
/** @type {import('aws-lambda').APIGatewayProxyHandlerV2} */
exports.handler = async (event) => ({
  statusCode: 404,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: `no pet page /${event.pathParameters?.proxy}`, routeKey: event.routeKey }),
});

// The `$default` route: every request no other route matches comes here instead of API Gateway's
// 404 {"message":"Not Found"}.
/** @type {import('aws-lambda').APIGatewayProxyHandlerV2} */
exports.handler = async (event) => ({
  statusCode: 404,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    message: `no pet route for ${event.requestContext.http.method} ${event.rawPath}`,
    routeKey: event.routeKey,
  }),
});

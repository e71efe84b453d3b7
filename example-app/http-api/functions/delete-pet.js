// DELETE /pets/{id}, behind the Lambda authorizer: its simple response's `context` arrives as
// requestContext.authorizer.lambda.
/** @type {import('aws-lambda').APIGatewayProxyHandlerV2WithLambdaAuthorizer<{ role: string }>} */
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    deleted: event.pathParameters?.id,
    by: event.requestContext.authorizer.lambda.role,
  }),
});

// GET /pets/{id} behind the TOKEN authorizer: who asked comes from requestContext.authorizer.
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
  body: JSON.stringify({
    id: event.pathParameters.id,
    name: `Pet ${event.pathParameters.id}`,
    requestedBy: event.requestContext.authorizer.principalId,
    plan: event.requestContext.authorizer.plan,
  }),
});

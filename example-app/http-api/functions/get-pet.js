// GET /pets/{id}, payload 2.0: a result without `statusCode` is the body, answered 200 as JSON.
/** @type {import('aws-lambda').APIGatewayProxyHandlerV2<{ id: string, name: string }>} */
exports.handler = async (event) => {
  const id = event.pathParameters?.id ?? '';
  return { id, name: `Pet ${id}` };
};

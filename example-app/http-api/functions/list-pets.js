// GET /pets with payload format 1.0: the REST API's proxy event and result, so a handler written
// for a REST API moves to an HTTP API unchanged.
/** @type {import('aws-lambda').APIGatewayProxyHandler} */
exports.handler = async (event) => {
  const limit = Number(event.queryStringParameters?.limit ?? 2);
  const pets = [1, 2, 3].slice(0, limit).map((n) => ({ id: String(n), name: `Pet ${n}` }));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ httpMethod: event.httpMethod, path: event.path, pets }),
  };
};

// A Lambda REQUEST authorizer (payload 2.0) with simple responses: the X-Admin-Token header
// decides. A request without the header never reaches it: API Gateway answers 401 itself.
/** @type {import('aws-lambda').APIGatewayRequestSimpleAuthorizerHandlerV2WithContext<{ role: string }>} */
exports.handler = async (event) => ({
  isAuthorized: event.headers?.['x-admin-token'] === 'letmein',
  context: { role: 'admin' },
});

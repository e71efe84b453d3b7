// GET /me, behind the JWT authorizer: the verified token's claims and the route's scopes.
/** @type {import('aws-lambda').APIGatewayProxyHandlerV2WithJWTAuthorizer<{ sub: unknown, scopes: string[] | null }>} */
exports.handler = async (event) => {
  const { claims, scopes } = event.requestContext.authorizer.jwt;
  return { sub: claims.sub, scopes };
};

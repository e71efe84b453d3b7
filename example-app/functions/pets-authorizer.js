// A TOKEN authorizer as AWS's blueprint writes it: the token decides the policy.
// `allow` → Allow on every method of the API (a cached policy then covers them all),
// `deny` → an explicit Deny, anything else → 401 Unauthorized.
exports.handler = async (event) => {
  const [, , , , , apiAndStage] = event.methodArn.split(':');
  const [apiId, stage] = apiAndStage.split('/');
  const everyMethod = event.methodArn.split(':').slice(0, 5).concat(`${apiId}/${stage}/*`).join(':');
  switch (event.authorizationToken) {
    case 'allow':
      return policy('user-1', 'Allow', everyMethod, { plan: 'gold' });
    case 'deny':
      return policy('user-1', 'Deny', everyMethod);
    default:
      throw new Error('Unauthorized');
  }
};

function policy(principalId, effect, resource, context) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context,
  };
}

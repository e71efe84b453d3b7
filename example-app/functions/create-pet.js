// POST /pets: keyed, metered by a usage plan and validated against the Pet model before it runs.
exports.handler = async (event) => {
  const pet = JSON.parse(event.body);
  return {
    statusCode: 201,
    headers: { 'Content-Type': 'application/json', Location: `/pets/${pet.name.toLowerCase()}` },
    body: JSON.stringify({
      id: pet.name.toLowerCase(),
      ...pet,
      apiKeyId: event.requestContext.identity.apiKeyId,
    }),
  };
};

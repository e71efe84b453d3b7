// POST /pets, payload 2.0: a JSON body in, 201 with a Location header and a cookie out.
/** @type {import('aws-lambda').APIGatewayProxyHandlerV2} */
exports.handler = async (event) => {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString() : event.body;
  let pet;
  try {
    pet = JSON.parse(text ?? '');
  } catch {
    pet = undefined;
  }
  if (typeof pet?.name !== 'string' || pet.name === '')
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'name is required' }),
    };
  const id = pet.name.toLowerCase();
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', location: `/pets/${id}` },
    // One Set-Cookie header each.
    cookies: [`last-pet=${id}; Path=/; HttpOnly`],
    body: JSON.stringify({ id, name: pet.name, species: pet.species ?? null }),
  };
};

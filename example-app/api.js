// The walkthrough's `my-api` ("Create a REST API with Lambda integrations"), in AWS's own vocabulary.
const myFunction = require('./functions/my-function');
const myFunction2 = require('./functions/my-function2');
const createOrder = require('./functions/create-order');
const petsAuthorizer = require('./functions/pets-authorizer');
const getPet = require('./functions/get-pet');
const createPet = require('./functions/create-pet');

// Request template: JSON body → the function's event, escaping user text for JSON.
const orderRequestTemplate = `#set($body = $input.path('$'))
{
  "requestId": "$context.requestId",
  "customer": "$util.escapeJavaScript($body.customer).replaceAll("\\\\'", "'")",
  "lines": [
#foreach($line in $body.items)
    { "sku": "$util.escapeJavaScript($line.sku)", "quantity": $line.qty, "unitPrice": $line.price }#if($foreach.hasNext),#end

#end
  ]
}`;

/** @type {import('apigw-express').ApiGatewayOptions} */
module.exports = {
  stageName: 'prod',
  functions: {
    'my-function': myFunction.handler,
    'my-function2': myFunction2.handler,
    'create-order': createOrder.handler,
    'pets-authorizer': petsAuthorizer.handler,
    'get-pet': getPet.handler,
    'create-pet': createPet.handler,
  },
  // POST /pets needs an API key; its usage plan allows 5 requests a day.
  apiKeys: [{ id: 'example-key-id', name: 'example', value: 'example-key' }],
  usagePlans: [{ name: 'basic', apiKeys: ['example-key'], quota: { limit: 5, period: 'DAY' } }],
  models: {
    Pet: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        species: { type: 'string', enum: ['cat', 'dog'] },
      },
    },
  },
  requestValidators: { body: { validateRequestBody: true, validateRequestParameters: false } },
  authorizers: {
    'token-auth': {
      type: 'TOKEN',
      function: 'pets-authorizer',
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 300,
    },
  },
  resources: {
    '/pets': {
      POST: {
        apiKeyRequired: true,
        requestValidator: 'body',
        requestModels: { 'application/json': 'Pet' },
        integration: { type: 'AWS_PROXY', function: 'create-pet' },
      },
    },
    '/pets/{id}': {
      cors: true,
      GET: {
        authorizationType: 'CUSTOM',
        authorizer: 'token-auth',
        integration: { type: 'AWS_PROXY', function: 'get-pet' },
      },
    },
    '/': {
      GET: { integration: { type: 'AWS_PROXY', function: 'my-function' } },
    },
    '/my-resource': {
      GET: {
        requestParameters: { 'method.request.querystring.myParam': false },
        integration: {
          type: 'AWS',
          function: 'my-function2',
          passthroughBehavior: 'WHEN_NO_TEMPLATES',
          requestTemplates: { 'application/json': `{ "myParam": "$input.params('myParam')" }` },
          integrationResponses: [{ statusCode: '200' }],
        },
        methodResponses: [{ statusCode: '200' }],
      },
    },
    '/orders': {
      POST: {
        integration: {
          type: 'AWS',
          function: 'create-order',
          passthroughBehavior: 'NEVER',
          requestTemplates: { 'application/json': orderRequestTemplate },
          integrationResponses: [
            {
              statusCode: '201',
              responseParameters: { 'method.response.header.Location': 'integration.response.body.orderId' },
              responseTemplates: {
                'application/json': `#set($order = $input.path('$'))
{"id": "$order.orderId", "lines": $order.lineCount, "total": $order.total}`,
              },
            },
            {
              statusCode: '400',
              selectionPattern: '.*\\[BadRequest\\].*',
              responseTemplates: {
                'application/json': `{"error": "$util.escapeJavaScript($input.path('$.errorMessage').replace('[BadRequest] ', ''))"}`,
              },
            },
          ],
        },
        methodResponses: [
          { statusCode: '201', responseParameters: { 'method.response.header.Location': true } },
          { statusCode: '400' },
        ],
      },
    },
  },
};

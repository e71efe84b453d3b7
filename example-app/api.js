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

// The shop's orders, written and read by DynamoDB itself (no function in between), with the
// templates of AWS's "Using Amazon API Gateway as a proxy for DynamoDB": the request id is the key.
const putOrderTemplate = `{
  "TableName": "Orders",
  "Item": {
    "id": {"S": "$context.requestId"},
    "customer": {"S": "$util.escapeJavaScript($input.path('$.customer')).replaceAll("\\\\'", "'")"},
    "sku": {"S": "$util.escapeJavaScript($input.path('$.sku')).replaceAll("\\\\'", "'")"},
    "quantity": {"N": "$input.path('$.quantity')"}
  }
}`;
const getOrderTemplate = `{"TableName": "Orders", "Key": {"id": {"S": "$util.escapeJavaScript($input.params('id'))"}}}`;
// GetItem answers 200 with no Item for an unknown key: the template turns that into a 404.
const orderResponseTemplate = `#set($item = $input.path('$.Item'))
#if("$!item" == "")
#set($context.responseOverride.status = 404)
{"message": "order not found"}
#else
{"id": "$item.id.S", "customer": "$util.escapeJavaScript($item.customer.S).replaceAll("\\\\'", "'")", "sku": "$util.escapeJavaScript($item.sku.S).replaceAll("\\\\'", "'")", "quantity": $item.quantity.N}
#end`;
// DynamoDB's 4xx (a ValidationException for a missing field): its error type, without the namespace.
const dynamodbError = {
  statusCode: '400',
  selectionPattern: '4\\d{2}',
  responseTemplates: { 'application/json': `{"error": "$input.path('$.__type').replaceAll('.*#', '')"}` },
};

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
  // Where the shop's backends are: example-app/local-services.js starts both on free ports and
  // npm start (server.js) puts their addresses here; these defaults are placeholders.
  stageVariables: { inventoryHost: '127.0.0.1:3001' },
  awsEndpoints: { dynamodb: 'http://127.0.0.1:8000' },
  // Dummy keys: dynalite does not check signatures. Against real DynamoDB leave this out, and the
  // standard credential chain (environment, ~/.aws/credentials) signs.
  awsServiceCredentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' },
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
    // The inventory service behind an HTTP_PROXY integration: method, headers, query and body go
    // through, and its answer (status included) comes back as it is.
    '/inventory/{proxy+}': {
      ANY: {
        integration: {
          type: 'HTTP_PROXY',
          httpMethod: 'ANY',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's stage-variable syntax, not a JS template.
          uri: 'http://${stageVariables.inventoryHost}/{proxy}',
          requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
        },
      },
    },
    '/orders-table': {
      POST: {
        integration: {
          type: 'AWS',
          uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
          httpMethod: 'POST',
          credentials: 'arn:aws:iam::123456789012:role/apigw-orders-table',
          passthroughBehavior: 'NEVER',
          requestTemplates: { 'application/json': putOrderTemplate },
          integrationResponses: [
            { statusCode: '201', responseTemplates: { 'application/json': '{"id": "$context.requestId"}' } },
            dynamodbError,
          ],
        },
        methodResponses: [{ statusCode: '201' }, { statusCode: '400' }],
      },
    },
    '/orders-table/{id}': {
      GET: {
        integration: {
          type: 'AWS',
          uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/GetItem',
          httpMethod: 'POST',
          credentials: 'arn:aws:iam::123456789012:role/apigw-orders-table',
          requestTemplates: { 'application/json': getOrderTemplate },
          integrationResponses: [
            { statusCode: '200', responseTemplates: { 'application/json': orderResponseTemplate } },
            dynamodbError,
          ],
        },
        methodResponses: [{ statusCode: '200' }, { statusCode: '400' }, { statusCode: '404' }],
      },
    },
  },
};

// The walkthrough's `my-api` ("Create a REST API with Lambda integrations"), in AWS's own vocabulary.
const myFunction = require('./functions/my-function');
const myFunction2 = require('./functions/my-function2');
const createOrder = require('./functions/create-order');

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
  },
  resources: {
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

// The walkthrough's `my-api` ("Create a REST API with Lambda integrations"), in AWS's own vocabulary.
const myFunction = require('./functions/my-function');

/** @type {import('apigw-express').ApiGatewayOptions} */
module.exports = {
  stageName: 'prod',
  functions: {
    'my-function': myFunction.handler,
  },
  resources: {
    '/': {
      GET: { integration: { type: 'AWS_PROXY', function: 'my-function' } },
    },
  },
};

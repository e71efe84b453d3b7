// The walkthrough's OpenAPI export with the code of the functions its Lambda ARNs name:
//   npx apigw-express serve example-app/openapi-api.js
const path = require('node:path');

const functions = path.join(__dirname, 'functions');

/** @type {import('apigw-express').ApiGatewayOptions} */
module.exports = {
  openapi: path.join(__dirname, 'openapi.yaml'),
  stageName: 'prod',
  functions: {
    'my-function': { handler: 'my-function.handler', codeUri: functions },
    'my-function2': { handler: 'my-function2.handler', codeUri: functions },
  },
};

import { formatRoutes, listRoutes } from '../../src/cli/route-table.js';

describe('the route table', () => {
  it('names an AWS service integration by its service and action or path', () => {
    const rows = listRoutes({
      resources: {
        '/orders': {
          POST: {
            integration: { type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders' },
          },
          PUT: { integration: { type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem' } },
        },
      },
    });
    expect(formatRoutes(rows)).toContain('AWS sqs:path/123456789012/orders');
    expect(formatRoutes(rows)).toContain('AWS dynamodb:action/PutItem');
  });
});

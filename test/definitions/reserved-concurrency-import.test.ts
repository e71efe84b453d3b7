import { loadDefinition } from '../../src/index.js';
import { silentLogger } from '../support/create-app.js';

const get = { Type: 'Api', Properties: { Path: '/x', Method: 'get' } };

describe('reservedConcurrency from definitions', () => {
  it('SAM: ReservedConcurrentExecutions of a function, and from Globals.Function', async () => {
    const options = await loadDefinition(
      {
        template: {
          Transform: 'AWS::Serverless-2016-10-31',
          Globals: { Function: { ReservedConcurrentExecutions: 3 } },
          Resources: {
            Own: {
              Type: 'AWS::Serverless::Function',
              Properties: {
                Handler: 'a.handler',
                Runtime: 'nodejs20.x',
                ReservedConcurrentExecutions: 1,
                Events: { Get: get },
              },
            },
            Global: {
              Type: 'AWS::Serverless::Function',
              Properties: {
                Handler: 'b.handler',
                Runtime: 'nodejs20.x',
                Events: { Get: { ...get, Properties: { Path: '/y', Method: 'get' } } },
              },
            },
          },
        },
      },
      silentLogger(),
    );
    expect(options.functions?.Own).toMatchObject({ reservedConcurrency: 1 });
    expect(options.functions?.Global).toMatchObject({ reservedConcurrency: 3 });
  });

  it('serverless.yml: functions.<name>.reservedConcurrency', async () => {
    const options = await loadDefinition(
      {
        serverless: {
          service: 'svc',
          provider: { name: 'aws', runtime: 'nodejs20.x' },
          functions: {
            limited: {
              handler: 'a.handler',
              reservedConcurrency: 2,
              events: [{ http: { path: 'x', method: 'get' } }],
            },
            open: { handler: 'b.handler', events: [{ http: { path: 'y', method: 'get' } }] },
          },
        },
      },
      silentLogger(),
    );
    expect(options.functions?.limited).toMatchObject({ reservedConcurrency: 2 });
    expect(options.functions?.open).not.toHaveProperty('reservedConcurrency');
  });
});

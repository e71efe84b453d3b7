import fc from 'fast-check';
import { accessLogVariables, compileAccessLogFormat } from '../../src/gateway/access-log-format.js';
import { toEventHeaders } from '../../src/http/event-headers.js';
import type { GatewayRequest } from '../../src/http/gateway-request.js';
import { RequestFacts } from '../../src/http/request-facts.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const scope = {
  identity: {
    restApiId: 'abc123',
    accountId: '123456789012',
    region: 'eu-west-1',
    stageName: 'prod',
    deploymentId: 'dep123',
    stageVariables: null,
  },
  basePathMatched: '(none)',
};

function facts(auth?: GatewayRequest['auth']): RequestFacts {
  const f = new RequestFacts(T0);
  f.request = {
    httpMethod: 'GET',
    path: '/x',
    canonicalPath: '/x',
    requestPath: '/prod/x',
    query: null,
    headers: toEventHeaders([]),
    body: Buffer.alloc(0),
    sourceIp: '10.0.0.1',
    protocol: 'HTTP/1.1',
    seed: {
      requestId: 'req-1',
      extendedRequestId: 'ext-1',
      traceId: 'Root=1-x',
      eventTraceId: 'Root=1-x',
      requestTimeEpoch: T0,
    },
    auth,
  };
  return f;
}

const render = (format: string, f: RequestFacts) => compileAccessLogFormat(format)(f, scope);

describe('access-log format, compiled', () => {
  it("reads a Cognito authorizer's claims and a Lambda authorizer's context values", () => {
    const f = facts({
      authorizer: { claims: { sub: 'u-1', 'cognito:username': 'ann' }, principalId: 'p', n: 1, b: false },
      identity: { caller: 'AIDA', user: 'AIDA', apiKeyId: 'k1' },
    });
    expect(
      render(
        '$context.requestId $context.authorizer.claims.sub $context.authorizer.principalId $context.authorizer.n $context.authorizer.b $context.authorizer.nope $context.identity.caller $context.identity.apiKeyId $context.identity.accountId',
        f,
      ),
    ).toBe('req-1 u-1 p 1 false - AIDA k1 -');
  });

  it('falls back to the execute-api host when the request names none', () => {
    expect(render('$context.requestId $context.domainName $context.domainPrefix', facts())).toBe(
      'req-1 abc123.execute-api.eu-west-1.amazonaws.com abc123',
    );
  });

  it('ends a variable name at a character no name has, a trailing dot included', () => {
    const f = facts();
    f.status = 204;
    expect(render('[$context.requestId].$context.status.', f)).toBe('[req-1].204.');
    expect(
      accessLogVariables(
        '$context.status. $context.identity.sourceIp,x $context.authorizer.claims.custom:tenant: ',
      ),
    ).toEqual(['status', 'identity.sourceIp', 'authorizer.claims.custom:tenant']);
  });

  it('keeps every character around the variables as it is (property)', () => {
    // Text without `$`: the line is the format with each variable replaced, nothing else touched.
    const literal = fc.string({ maxLength: 20 }).filter((s) => !s.includes('$') && !/[\r\n]/.test(s));
    fc.assert(
      fc.property(fc.array(literal, { minLength: 2, maxLength: 6 }), (texts) => {
        // After a variable, a name character (or a dot and one) would continue its name.
        fc.pre(texts.slice(1).every((t) => !/^\.?[A-Za-z0-9_]/.test(t)));
        const format = texts.join('$context.requestId');
        const line = render(format, facts());
        expect(line).toBe(texts.join('req-1'));
      }),
    );
  });
});

import fc from 'fast-check';
import { evaluatePolicy, parsePolicyDocument, wildcardMatch } from '../../src/auth/evaluate-policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/1';

/** An independent matcher: the pattern as an anchored RegExp (`*` → `[\s\S]*`, `?` → `[\s\S]`). */
function referenceMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'iu' : 'u').test(value);
}

const policy = (...statements: object[]) => {
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  if (parsed === undefined) throw new Error('unparsable test policy');
  return parsed;
};
const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Allow',
  Action,
  Resource,
});
const deny = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Deny',
  Action,
  Resource,
});

describe('IAM wildcard matching of ARNs', () => {
  it.each([
    ['*', ARN, true],
    [ARN, ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*', ARN, true],
    ['arn:aws:execute-api:*:*:abc123/*/GET/*', ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*', ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/?', ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/??', ARN, false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/*', ARN, false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets', ARN, false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/get/pets/1', ARN, false], // case-sensitive
    [
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/',
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/',
      true,
    ],
    ['**', '', true],
    ['?', '', false],
  ])('%s ~ %s → %s', (pattern, arn, expected) => {
    expect(wildcardMatch(pattern, arn)).toBe(expected);
  });

  it('matches exactly what an independent wildcard matcher matches, over random patterns and ARNs', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', ':', '*', '?', '.', '-', 'GET', 'prod');
    const text = fc.array(alphabet, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        text,
        text.map((t) => t.replaceAll('*', 'x').replaceAll('?', 'y')),
        (pattern, arn) => {
          expect(wildcardMatch(pattern, arn)).toBe(referenceMatch(pattern, arn));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('takes linear time on patterns that make backtracking matchers explode', () => {
    const pattern = `${'*a'.repeat(50)}b`;
    expect(wildcardMatch(pattern, 'a'.repeat(5000))).toBe(false);
  });
});

describe('policy evaluation as IAM does it', () => {
  it.each([
    ['one Allow covering the ARN', [allow(ARN)], 'allow'],
    ['an Allow for another method', [allow(ARN.replace('GET', 'POST'))], 'implicit-deny'],
    [
      'no statement for the ARN',
      [allow('arn:aws:execute-api:us-east-1:123456789012:other/*')],
      'implicit-deny',
    ],
    ['Allow and Deny both matching', [allow('*'), deny(ARN)], 'explicit-deny'],
    ['Deny before Allow', [deny('*'), allow(ARN)], 'explicit-deny'],
    ['a Resource list', [allow(['arn:x', ARN])], 'allow'],
    ['Action *', [allow(ARN, '*')], 'allow'],
    ['Action execute-api:*', [allow(ARN, 'execute-api:*')], 'allow'],
    ['Action in another case', [allow(ARN, 'EXECUTE-API:invoke')], 'allow'],
    ['an Action list', [allow(ARN, ['s3:GetObject', 'execute-api:Invoke'])], 'allow'],
    ['another service only', [allow(ARN, 's3:*')], 'implicit-deny'],
    ['execute-api:ManageConnections only', [allow(ARN, 'execute-api:ManageConnections')], 'implicit-deny'],
    ['NotResource excluding the ARN', [{ Effect: 'Allow', Action: '*', NotResource: ARN }], 'implicit-deny'],
    ['NotResource excluding another ARN', [{ Effect: 'Allow', Action: '*', NotResource: 'arn:x' }], 'allow'],
    [
      'NotAction excluding Invoke',
      [{ Effect: 'Allow', NotAction: 'execute-api:Invoke', Resource: '*' }],
      'implicit-deny',
    ],
    [
      'a conditional Allow (not evaluated: it never opens)',
      [{ ...allow(ARN), Condition: { IpAddress: {} } }],
      'implicit-deny',
    ],
    [
      'a conditional Deny (not evaluated: it always applies)',
      [allow('*'), { ...deny(ARN), Condition: { Bool: {} } }],
      'explicit-deny',
    ],
  ])('%s', (_name, statements, expected) => {
    expect(evaluatePolicy(policy(...statements), ARN)).toBe(expected);
  });

  it('a Deny anywhere wins over any number of Allows', () => {
    const resource = fc.constantFrom(
      '*',
      ARN,
      'arn:aws:execute-api:*:*:abc123/*',
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*',
    );
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 20 }), resource, fc.nat(20), (allows, denied, at) => {
        const statements: object[] = allows.map((r) => allow(r));
        statements.splice(at % (statements.length + 1), 0, deny(denied));
        expect(evaluatePolicy(policy(...statements), ARN)).toBe('explicit-deny');
      }),
    );
  });

  it('allows only when some Allow matches and no Deny does, over random policies', () => {
    const piece = fc.constantFrom(
      'arn:aws:execute-api:',
      'us-east-1',
      ':',
      '123456789012',
      'abc123',
      '/prod',
      '/GET',
      '/POST',
      '/pets',
      '/1',
      '*',
      '?',
    );
    const resource = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.constantFrom('execute-api:Invoke', '*', 's3:*'),
      Resource: resource,
    });
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 6 }), (statements) => {
        const applies = (s: { Action: string; Resource: string }) =>
          referenceMatch(s.Action, 'execute-api:Invoke', true) && referenceMatch(s.Resource, ARN);
        const expected = statements.some((s) => s.Effect === 'Deny' && applies(s))
          ? 'explicit-deny'
          : statements.some((s) => s.Effect === 'Allow' && applies(s))
            ? 'allow'
            : 'implicit-deny';
        expect(evaluatePolicy(policy(...statements), ARN)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parsing a returned policyDocument', () => {
  it.each([
    ['no document', undefined],
    ['a string', 'allow'],
    ['no Statement', { Version: '2012-10-17' }],
    ['an empty Statement list', { Statement: [] }],
    ['Effect in lower case', { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }],
    ['no Action', { Statement: [{ Effect: 'Allow', Resource: '*' }] }],
    ['no Resource', { Statement: [{ Effect: 'Allow', Action: '*' }] }],
    [
      'Action and NotAction',
      { Statement: [{ Effect: 'Allow', Action: '*', NotAction: '*', Resource: '*' }] },
    ],
    ['a Resource number', { Statement: [{ Effect: 'Allow', Action: '*', Resource: 1 }] }],
    ['an empty Resource list', { Statement: [{ Effect: 'Allow', Action: '*', Resource: [] }] }],
    ['a statement that is a string', { Statement: ['Allow'] }],
  ])('refuses %s (API Gateway cannot parse it: a 500)', (_name, document) => {
    expect(parsePolicyDocument(document)).toBeUndefined();
  });

  it('takes a single Statement object', () => {
    const parsed = parsePolicyDocument({
      Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN },
    });
    expect(parsed && evaluatePolicy(parsed, ARN)).toBe('allow');
  });
});

import { BlockList } from 'node:net';
import fc from 'fast-check';
import { cidrContains, parseCidr, parseIp } from '../../src/auth/ip-address.js';
import { ANONYMOUS, compileResourcePolicy, type PolicyCaller } from '../../src/auth/resource-policy.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { GatewayRequest } from '../../src/http/gateway-request.js';

const identity = {
  restApiId: 'abc123',
  accountId: '111122223333',
  region: 'us-east-1',
  stageName: 'prod',
  deploymentId: 'd1',
  stageVariables: null,
};
const ARN = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets';

function requestFrom(sourceIp: string, headers: Record<string, string> = {}): GatewayRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { sourceIp, headers: { lower } } as unknown as GatewayRequest;
}

const decide = (
  doc: unknown,
  opts: {
    ip?: string;
    arn?: string;
    caller?: PolicyCaller;
    now?: number;
    headers?: Record<string, string>;
  } = {},
) =>
  compileResourcePolicy(doc, { identity }).evaluate({
    methodArn: opts.arn ?? ARN,
    request: requestFrom(opts.ip ?? '10.1.2.3', opts.headers),
    caller: opts.caller ?? ANONYMOUS,
    now: opts.now ?? Date.UTC(2024, 0, 1),
  });

const statement = (extra: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: '*',
  ...extra,
});
const doc = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .filter((g) => !(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)) // mapped v4: covered apart
  .map((g) => g.map((x) => x.toString(16)).join(':'));

describe('CIDR matching', () => {
  it('agrees with node:net BlockList on random IPv4 blocks and addresses', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), ipv4, (network, prefix, address) => {
        const list = new BlockList();
        list.addSubnet(network, prefix, 'ipv4');
        const block = parseCidr(`${network}/${prefix}`);
        expect(block).toBeDefined();
        expect(cidrContains(block as never, parseIp(address) as Uint8Array)).toBe(
          list.check(address, 'ipv4'),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with node:net BlockList on random IPv6 blocks and addresses', () => {
    fc.assert(
      fc.property(
        ipv6,
        fc.integer({ min: 0, max: 128 }),
        ipv6,
        fc.boolean(),
        (network, prefix, other, near) => {
          // Half the addresses share the network's first groups, so matches are not all misses.
          const address = near
            ? `${network.split(':').slice(0, 6).join(':')}:${other.split(':').slice(6).join(':')}`
            : other;
          const list = new BlockList();
          list.addSubnet(network, prefix, 'ipv6');
          const block = parseCidr(`${network}/${prefix}`);
          expect(cidrContains(block as never, parseIp(address) as Uint8Array)).toBe(
            list.check(address, 'ipv6'),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads IPv4-mapped IPv6 addresses and blocks as IPv4', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('127.0.0.1'));
    expect(parseIp('::ffff:7f00:1')).toEqual(parseIp('127.0.0.1'));
    const mapped = parseCidr('::ffff:10.0.0.0/104') as never;
    expect(cidrContains(mapped, parseIp('10.200.3.4') as Uint8Array)).toBe(true);
    expect(cidrContains(mapped, parseIp('11.0.0.1') as Uint8Array)).toBe(false);
    // An IPv4 block never contains an IPv6 address, nor the other way round.
    expect(cidrContains(parseCidr('0.0.0.0/0') as never, parseIp('::1') as Uint8Array)).toBe(false);
    expect(cidrContains(parseCidr('::/0') as never, parseIp('127.0.0.1') as Uint8Array)).toBe(false);
  });

  it('reads the short IPv6 forms and refuses malformed text', () => {
    expect(parseIp('2001:db8::1')).toEqual(parseIp('2001:0db8:0:0:0:0:0:1'));
    expect(parseIp('::')).toEqual(new Uint8Array(16));
    expect(parseIp('fe80::1%eth0')).toEqual(parseIp('fe80::1'));
    for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'x', '', 'g::1']) {
      expect(parseIp(bad)).toBeUndefined();
    }
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/a', 'fe80::1%eth0/64']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
    // Host bits past the prefix are ignored.
    expect(cidrContains(parseCidr('10.0.0.7/24') as never, parseIp('10.0.0.200') as Uint8Array)).toBe(true);
  });
});

describe('resource policy evaluation', () => {
  it('an IpAddress Allow lets its range in, and nothing else', () => {
    const policy = doc(
      statement({ Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } }),
    );
    expect(decide(policy, { ip: '10.9.9.9' })).toBe('allow');
    expect(decide(policy, { ip: '2001:db8::7' })).toBe('allow');
    expect(decide(policy, { ip: '11.0.0.1' })).toBe('implicit-deny');
    expect(decide(policy, { ip: '2001:db9::1' })).toBe('implicit-deny');
  });

  it('NotIpAddress holds outside the range only', () => {
    const policy = doc(
      statement({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    );
    expect(decide(policy, { ip: '10.0.0.1' })).toBe('implicit-deny');
    expect(decide(policy, { ip: '192.168.0.1' })).toBe('explicit-deny');
  });

  it('any applicable Deny beats every Allow, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.nat(7), (effects, at) => {
        const statements = effects.map((deny) => statement({ Effect: deny ? 'Deny' : 'Allow' }));
        statements.splice(at % (statements.length + 1), 0, statement({ Effect: 'Deny' }));
        expect(decide(doc(...statements))).toBe('explicit-deny');
      }),
    );
  });

  it('no applicable statement is an implicit deny', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Allow', 'Deny'), { minLength: 1, maxLength: 6 }), (effects) => {
        const statements = effects.map((Effect) =>
          statement({ Effect, Resource: 'execute-api:/prod/POST/*' }),
        );
        expect(decide(doc(...statements))).toBe('implicit-deny');
      }),
    );
  });

  it('NotResource and NotAction apply to everything they do not name', () => {
    expect(decide(doc(statement({ Resource: undefined, NotResource: 'execute-api:/prod/POST/*' })))).toBe(
      'allow',
    );
    expect(decide(doc(statement({ Resource: undefined, NotResource: 'execute-api:/prod/GET/*' })))).toBe(
      'implicit-deny',
    );
    expect(decide(doc(statement({ Action: undefined, NotAction: 'execute-api:ManageConnections' })))).toBe(
      'allow',
    );
    expect(decide(doc(statement({ Action: undefined, NotAction: 'execute-api:*' })))).toBe('implicit-deny');
    expect(decide(doc(statement({ Action: 'EXECUTE-API:invoke' })))).toBe('allow'); // actions ignore case
    expect(decide(doc(statement({ Resource: ARN.toUpperCase() })))).toBe('implicit-deny'); // ARNs do not
  });

  it('expands the execute-api:/ shorthand to this API', () => {
    expect(decide(doc(statement({ Resource: 'execute-api:/prod/GET/pets' })))).toBe('allow');
    expect(decide(doc(statement({ Resource: 'execute-api:/*/*/*' })))).toBe('allow');
    expect(decide(doc(statement({ Resource: 'execute-api:/test/GET/pets' })))).toBe('implicit-deny');
  });

  it('a missing key fails positive operators and satisfies negated ones; …IfExists holds either way', () => {
    const on = (Condition: Record<string, unknown>) => decide(doc(statement({ Condition })));
    expect(on({ StringEquals: { 'aws:Referer': 'x' } })).toBe('implicit-deny');
    expect(on({ StringNotEquals: { 'aws:Referer': 'x' } })).toBe('allow');
    expect(on({ StringNotLike: { 'aws:Referer': 'x*' } })).toBe('allow');
    expect(on({ StringEqualsIfExists: { 'aws:Referer': 'x' } })).toBe('allow');
    expect(on({ StringNotEqualsIfExists: { 'aws:Referer': 'x' } })).toBe('allow');
    expect(on({ Null: { 'aws:Referer': 'true' } })).toBe('allow');
    expect(on({ Null: { 'aws:Referer': 'false' } })).toBe('implicit-deny');
    expect(on({ Null: { 'aws:SourceIp': 'false' } })).toBe('allow');
  });

  it('several values of a key are OR, several keys and operators AND; negated operators need no value to match', () => {
    const ua = (value: string) => ({ headers: { 'User-Agent': value } });
    const any = doc(statement({ Condition: { StringEquals: { 'aws:UserAgent': ['a', 'b'] } } }));
    expect(decide(any, ua('b'))).toBe('allow');
    expect(decide(any, ua('c'))).toBe('implicit-deny');
    const none = doc(statement({ Condition: { StringNotEquals: { 'aws:UserAgent': ['a', 'b'] } } }));
    expect(decide(none, ua('b'))).toBe('implicit-deny');
    expect(decide(none, ua('c'))).toBe('allow');
    const both = doc(
      statement({
        Condition: {
          StringEqualsIgnoreCase: { 'aws:UserAgent': 'CURL' },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        },
      }),
    );
    expect(decide(both, { ...ua('curl'), ip: '10.0.0.1' })).toBe('allow');
    expect(decide(both, { ...ua('curl'), ip: '11.0.0.1' })).toBe('implicit-deny');
    expect(decide(both, { ...ua('wget'), ip: '10.0.0.1' })).toBe('implicit-deny');
  });

  it('dates compare with the clock, as ISO 8601 or epoch seconds', () => {
    const now = Date.UTC(2024, 5, 1, 12);
    const beforeTime = (value: string | number) =>
      decide(doc(statement({ Condition: { DateLessThan: { 'aws:CurrentTime': value } } })), { now });
    expect(beforeTime('2024-06-01T12:00:01Z')).toBe('allow');
    expect(beforeTime('2024-06-01T12:00:00Z')).toBe('implicit-deny');
    expect(beforeTime(now / 1000 + 1)).toBe('allow');
    expect(beforeTime('2024-06-02')).toBe('allow');
  });

  it('principals: "*" and {"AWS":"*"} match anonymous callers; accounts, users and roles only signers', () => {
    const alice: PolicyCaller = {
      kind: 'iam',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      userId: 'AIDAX',
    };
    const session: PolicyCaller = {
      kind: 'iam',
      arn: 'arn:aws:sts::444455556666:assumed-role/Admin/s1',
      accountId: '444455556666',
      userId: 'AROAX:s1',
    };
    const by = (Principal: unknown, caller: PolicyCaller) =>
      decide(doc(statement({ Principal })), { caller });
    expect(by({ AWS: '*' }, ANONYMOUS)).toBe('allow');
    expect(by({ AWS: ['111122223333'] }, ANONYMOUS)).toBe('implicit-deny');
    expect(by({ AWS: '111122223333' }, alice)).toBe('allow');
    expect(by({ AWS: '111122223333' }, session)).toBe('implicit-deny');
    expect(by({ AWS: 'arn:aws:iam::444455556666:role/path/Admin' }, session)).toBe('allow');
    expect(by({ AWS: 'arn:aws:iam::444455556666:role/Other' }, session)).toBe('implicit-deny');
    expect(by({ Service: 'lambda.amazonaws.com' }, alice)).toBe('implicit-deny');
    // NotPrincipal: everyone but the named.
    expect(
      decide(doc(statement({ Principal: undefined, NotPrincipal: { AWS: alice.arn } })), { caller: alice }),
    ).toBe('implicit-deny');
    expect(decide(doc(statement({ Principal: undefined, NotPrincipal: { AWS: alice.arn } })))).toBe('allow');
  });

  it('principal keys: aws:PrincipalType, aws:userid, aws:username, aws:PrincipalArn, aws:PrincipalAccount', () => {
    const session: PolicyCaller = {
      kind: 'iam',
      arn: 'arn:aws:sts::444455556666:assumed-role/Admin/s1',
      accountId: '444455556666',
      userId: 'AROAX:s1',
    };
    const on = (Condition: Record<string, unknown>, caller: PolicyCaller = ANONYMOUS) =>
      decide(doc(statement({ Condition })), { caller });
    expect(on({ StringEquals: { 'aws:PrincipalType': 'Anonymous', 'aws:userid': 'anonymous' } })).toBe(
      'allow',
    );
    expect(on({ StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }, session)).toBe('allow');
    expect(on({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } }, session)).toBe('allow');
    expect(on({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } })).toBe('implicit-deny');
    expect(on({ StringEquals: { 'aws:PrincipalAccount': '444455556666' } }, session)).toBe('allow');
    expect(on({ Null: { 'aws:username': 'true' } }, session)).toBe('allow');
    expect(on({ StringEquals: { 'AWS:SOURCEIP': '10.1.2.3' } })).toBe('allow'); // key names ignore case
  });

  it('a principal-scoped mapped key is absent for anonymous callers', () => {
    const policy = doc(statement({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }));
    const compiled = compileResourcePolicy(policy, { identity, context: { 'aws:PrincipalOrgID': 'o-1' } });
    const at = { methodArn: ARN, request: requestFrom('10.0.0.1'), now: 0 };
    expect(compiled.evaluate({ ...at, caller: ANONYMOUS })).toBe('implicit-deny');
    expect(
      compiled.evaluate({
        ...at,
        caller: { kind: 'iam', arn: 'arn:aws:iam::1:user/x', accountId: '1', userId: 'u' },
      }),
    ).toBe('allow');
  });
});

describe('resource policy compilation on arbitrary documents', () => {
  const value = fc.oneof(
    fc.constantFrom(
      '*',
      'Allow',
      'Deny',
      'execute-api:Invoke',
      'execute-api:/*',
      '10.0.0.0/8',
      'aws:SourceIp',
      '',
    ),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const field = fc.constantFrom(
    'Effect',
    'Principal',
    'NotPrincipal',
    'Action',
    'NotAction',
    'Resource',
    'NotResource',
    'Condition',
    'Sid',
    'Other',
  );
  const statementArb = fc.dictionary(
    field,
    fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.string(), fc.anything())),
  );

  it('either compiles to a decision or refuses with a ConfigError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({
            Version: fc.constant('2012-10-17'),
            Statement: fc.array(statementArb, { maxLength: 4 }),
          }),
        ),
        (document) => {
          let policy: ReturnType<typeof compileResourcePolicy>;
          try {
            policy = compileResourcePolicy(document, { identity });
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            return;
          }
          const decision = policy.evaluate({
            methodArn: ARN,
            request: requestFrom('10.0.0.1'),
            caller: ANONYMOUS,
            now: 0,
          });
          expect(['allow', 'explicit-deny', 'implicit-deny']).toContain(decision);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

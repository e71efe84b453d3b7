// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not template literals
import { ConfigError } from '../../src/config/config-error.js';
import { IntrinsicResolver, type TemplateParts } from '../../src/definitions/cloudformation/intrinsics.js';
import { parseTemplate } from '../../src/definitions/cloudformation/yaml-tags.js';

const template: TemplateParts = {
  Parameters: {
    Env: { Type: 'String', Default: 'dev' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a, b' },
    NoDefault: { Type: 'String' },
  },
  Mappings: { Sizes: { dev: { Memory: 128 } } },
  Conditions: {
    IsDev: { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] },
    NotDev: { 'Fn::Not': [{ Condition: 'IsDev' }] },
    Both: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['x', 'x'] }] },
    Either: { 'Fn::Or': [{ Condition: 'NotDev' }, { Condition: 'IsDev' }] },
  },
  Resources: { Fn: { Type: 'AWS::Lambda::Function' }, Api: { Type: 'AWS::ApiGateway::RestApi' } },
};

describe('intrinsic functions', () => {
  const resolver = new IntrinsicResolver(template, { 'AWS::Region': 'eu-west-1' });
  const resolve = (value: unknown) => resolver.resolve(value, 'Resources.X.Properties.P');

  it.each([
    [{ Ref: 'Env' }, 'dev'],
    [{ Ref: 'Zones' }, ['a', 'b']],
    [{ Ref: 'AWS::Region' }, 'eu-west-1'],
    [{ Ref: 'AWS::Partition' }, 'aws'],
    [{ Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    [{ Ref: 'Fn' }, 'Fn'],
    [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, 'arn:aws:lambda:eu-west-1:123456789012:function:Fn'],
    [{ 'Fn::GetAtt': 'Api.RootResourceId' }, 'Api.RootResourceId'],
    [{ 'Fn::Sub': '${Env}-${AWS::AccountId}-${!Literal}' }, 'dev-123456789012-${Literal}'],
    [
      { 'Fn::Sub': ['${A}/${Fn.Arn}', { A: { Ref: 'Env' } }] },
      'dev/arn:aws:lambda:eu-west-1:123456789012:function:Fn',
    ],
    [{ 'Fn::Join': ['-', ['a', { Ref: 'Env' }, 1]] }, 'a-dev-1'],
    [{ 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] }, 'y'],
    [{ 'Fn::If': ['IsDev', 'yes', 'no'] }, 'yes'],
    [{ 'Fn::If': ['NotDev', 'yes', 'no'] }, 'no'],
    [{ 'Fn::If': ['Both', 1, 2] }, 1],
    [{ 'Fn::If': ['Either', 1, 2] }, 1],
    [{ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] }, 128],
    [{ 'Fn::Base64': 'hi' }, 'aGk='],
    [{ 'Fn::GetAZs': '' }, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    [{ A: 1, B: { Ref: 'AWS::NoValue' } }, { A: 1 }],
    [{ 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, 'x'] }, undefined],
  ])('resolves %j to %j', (value, expected) => {
    expect(resolve(value)).toEqual(expected);
  });

  it('takes parameterOverrides over Defaults', () => {
    expect(new IntrinsicResolver(template, { Env: 'prod' }).resolve({ 'Fn::If': ['IsDev', 1, 2] }, 'x')).toBe(
      2,
    );
  });

  it.each([
    [
      { Ref: 'Nope' },
      'Resources.X.Properties.P.Ref: "Nope" is no parameter, pseudo parameter or resource of the template',
    ],
    [
      { Ref: 'NoDefault' },
      'Resources.X.Properties.P.Ref: parameter "NoDefault" has no Default and no value in parameterOverrides',
    ],
    [
      { 'Fn::GetAtt': ['Ghost', 'Arn'] },
      'Resources.X.Properties.P.Fn::GetAtt: no resource "Ghost" in the template',
    ],
    [{ 'Fn::If': ['Unknown', 1, 2] }, 'Resources.X.Properties.P.Fn::If: unknown condition "Unknown"'],
    [
      { 'Fn::ImportValue': 'shared-arn' },
      'Resources.X.Properties.P.Fn::ImportValue: "shared-arn" is another stack\'s export, unknown here (give its value in importValues)',
    ],
    [{ 'Fn::Select': [5, ['a']] }, 'Resources.X.Properties.P.Fn::Select: index 5 is outside the list ["a"]'],
  ])('names where %j fails', (value, message) => {
    expect(() => resolve(value)).toThrow(new ConfigError(message));
  });

  it("resolves Fn::ImportValue from importValues, the user mapping another stack's exports", () => {
    const mapped = new IntrinsicResolver(template, {}, {}, '.', {
      'shared-dev': 'arn:aws:lambda:::function:f',
    });
    expect(mapped.resolve({ 'Fn::ImportValue': { 'Fn::Sub': 'shared-${Env}' } }, 'x')).toBe(
      'arn:aws:lambda:::function:f',
    );
  });
});

describe('YAML short forms', () => {
  it('reads !Ref, !GetAtt a.b, !Sub (both forms), !Join, !If, !Equals, !Condition, !Select, !Split, !FindInMap, !Base64', () => {
    const parsed = parseTemplate(`
A: !Ref Env
B: !GetAtt Fn.Arn
C: !Sub '\${Env}-x'
D: !Sub ['\${a}', { a: !Ref Env }]
E: !Join ['', [a, !Ref Env]]
F: !If [IsDev, !Select [0, !Split [',', 'a,b']], !Ref AWS::NoValue]
G: !Equals [!Ref Env, dev]
H: !Condition IsDev
I: !FindInMap [Sizes, dev, Memory]
J: !Base64 hi
K: !GetAtt [Api, RootResourceId]
`);
    expect(parsed).toEqual({
      A: { Ref: 'Env' },
      B: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      C: { 'Fn::Sub': '${Env}-x' },
      D: { 'Fn::Sub': ['${a}', { a: { Ref: 'Env' } }] },
      E: { 'Fn::Join': ['', ['a', { Ref: 'Env' }]] },
      F: {
        'Fn::If': ['IsDev', { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] }, { Ref: 'AWS::NoValue' }],
      },
      G: { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] },
      H: { Condition: 'IsDev' },
      I: { 'Fn::FindInMap': ['Sizes', 'dev', 'Memory'] },
      J: { 'Fn::Base64': 'hi' },
      K: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
    });
    expect(new IntrinsicResolver(template).resolve(parsed, 'doc')).toMatchObject({
      E: 'adev',
      F: 'a',
      G: true,
      H: true,
      I: 128,
    });
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml ${…} variables, not template literals
import path from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { VariableResolver } from '../../src/definitions/serverless/resolve-variables.js';

const FIXTURES = path.join(__dirname, '../fixtures/definitions/serverless');

function resolver(
  document: Record<string, unknown>,
  sources: { stage?: string; env?: Record<string, string> } = {},
) {
  return new VariableResolver(document, { stage: sources.stage, env: sources.env ?? {}, baseDir: FIXTURES });
}

describe('serverless.yml variables', () => {
  it('reads ${self:…} paths into the document, ${sls:stage} and ${self:provider.stage}', () => {
    const doc = {
      service: 'shop',
      custom: { table: '${self:service}-items-${sls:stage}' },
      provider: {
        stage: 'qa',
        environment: { TABLE: '${self:custom.table}', STAGE: '${self:provider.stage}' },
      },
    };
    expect(resolver(doc).get(['provider', 'environment'])).toEqual({ TABLE: 'shop-items-qa', STAGE: 'qa' });
  });

  it('gives ${opt:stage} the stage asked for, over provider.stage, and dev without either', () => {
    const doc = { provider: { stage: '${opt:stage, "beta"}' }, custom: { s: '${sls:stage}' } };
    expect(resolver(doc, { stage: 'prod' }).get(['custom', 's'])).toBe('prod');
    expect(resolver(doc).get(['custom', 's'])).toBe('beta');
    expect(resolver({ custom: { s: '${sls:stage}' } }).stage()).toBe('dev');
  });

  it('reads ${env:X} and falls back to the default value when X is unset', () => {
    const doc = {
      custom: {
        a: '${env:LEVEL, "info"}',
        b: "${env:LEVEL, 'info'}",
        c: '${env:MISSING, ${self:custom.d}}',
        d: 5,
      },
    };
    expect(resolver(doc, { env: { LEVEL: 'debug' } }).get(['custom', 'a'])).toBe('debug');
    expect(resolver(doc).get(['custom', 'b'])).toBe('info');
    expect(resolver(doc).get(['custom', 'c'])).toBe(5);
  });

  it('keeps the type of a value that is the whole string, and joins one inside text', () => {
    const doc = {
      custom: {
        n: 30,
        obj: { x: 1 },
        whole: '${self:custom.n}',
        text: 'after ${self:custom.n}s',
        o: '${self:custom.obj}',
      },
    };
    const r = resolver(doc);
    expect(r.get(['custom', 'whole'])).toBe(30);
    expect(r.get(['custom', 'text'])).toBe('after 30s');
    expect(r.get(['custom', 'o'])).toEqual({ x: 1 });
  });

  it('reads ${file(./x.yml):path} from the service folder, resolving its own variables', () => {
    const doc = { service: 'shop', custom: { g: '${file(./config.yml):greeting}' } };
    expect(resolver(doc).get(['custom', 'g'])).toBe('Hello from shop');
  });

  it('leaves CloudFormation ${AWS::Region} substitutions as they are', () => {
    expect(resolver({ custom: { arn: 'arn:aws:s3:::b-${AWS::Region}' } }).get(['custom', 'arn'])).toBe(
      'arn:aws:s3:::b-${AWS::Region}',
    );
  });

  it('notes ${ssm:…} and ${cf:…} as unsupported and leaves their property out', () => {
    const r = resolver({
      provider: { environment: { A: '${ssm:/x/y}', B: 'kept', C: 'x-${cf:stack.Output}' } },
    });
    expect(r.get(['provider', 'environment'])).toEqual({ B: 'kept' });
    expect(r.unsupported).toEqual([
      'provider.environment.A: ${ssm:/x/y} (the "ssm" variable source is not resolved locally; the property is left out)',
      'provider.environment.C: ${cf:stack.Output} (the "cf" variable source is not resolved locally; the property is left out)',
    ]);
  });

  it('uses the fallback after an unsupported source without noting it', () => {
    const r = resolver({ custom: { a: "${ssm:/x, 'local'}" } });
    expect(r.get(['custom', 'a'])).toBe('local');
    expect(r.unsupported).toEqual([]);
  });

  it('refuses a variable without a value and without a default, naming the property', () => {
    const r = resolver({ provider: { environment: { TOKEN: '${env:SHOP_TOKEN}' } } });
    expect(() => r.get(['provider', 'environment'])).toThrow(ConfigError);
    expect(() => r.get(['provider', 'environment'])).toThrow(
      "provider.environment.TOKEN: ${env:SHOP_TOKEN} has no value (give its source a value, or a default: ${source:address, 'default'})",
    );
  });

  it('refuses ${self:…} loops', () => {
    const r = resolver({ custom: { a: '${self:custom.b}', b: '${self:custom.a}' } });
    expect(() => r.get(['custom', 'a'])).toThrow(/refers to itself/);
  });
});

import path from 'node:path';
import request from 'supertest';
import { ConfigError } from '../src/config/config-error.js';
import { apiGateway } from '../src/index.js';
import { isMissingPeer, isPeerInstalled, type OptionalPeer } from '../src/optional-peer.js';
import { createApp } from './support/create-app.js';
import { echoEvent, proxy } from './support/echo-function.js';

// A real install without the optional peers cannot be made inside this repository (they are its
// devDependencies): the check of whether one is installed is mocked instead, per test.
const absent = new Set<OptionalPeer>();
jest.mock('../src/optional-peer', () => {
  const actual = jest.requireActual('../src/optional-peer');
  return {
    ...actual,
    isPeerInstalled: (name: OptionalPeer) => !absent.has(name) && actual.isPeerInstalled(name),
  };
});

const HANDLERS = path.join(__dirname, 'lambda', 'fixtures', 'handlers');

afterEach(() => absent.clear());

function moduleApi(handler: string) {
  return {
    functions: { hello: { handler, codeUri: HANDLERS } },
    resources: { '/hello': { GET: proxy('hello') } },
  };
}

function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('optional peer dependencies', () => {
  it('refuses a TypeScript handler path at startup when tsx is not installed, naming the package', () => {
    absent.add('tsx');
    expect(configError(() => apiGateway(moduleApi('typed.handler'))).message).toBe(
      'functions["hello"].handler: typed.ts needs the optional package tsx: npm install tsx',
    );
    expect(configError(() => apiGateway(moduleApi('typed-esm.handler'))).message).toBe(
      'functions["hello"].handler: typed-esm.mts needs the optional package tsx: npm install tsx',
    );
  });

  it('takes JavaScript handler paths without tsx', async () => {
    absent.add('tsx');
    const res = await request(createApp(moduleApi('cjs.handler'))).get('/prod/hello');
    expect(res.status).toBe(200);
  });

  it('refuses an AWS_IAM method at startup when @smithy/signature-v4 is not installed', () => {
    absent.add('@smithy/signature-v4');
    const options = {
      functions: { echo: echoEvent },
      awsCredentials: {
        AKIDEXAMPLE: { secretAccessKey: 'secret', userArn: 'arn:aws:iam::111122223333:user/a' },
      },
      resources: { '/items': { GET: { authorizationType: 'AWS_IAM' as const, ...proxy('echo') } } },
    };
    expect(configError(() => apiGateway(options)).message).toBe(
      'GET /items: authorizationType AWS_IAM needs the optional package @smithy/signature-v4: npm install @smithy/signature-v4',
    );
    // Without AWS_IAM methods the signer is never needed.
    expect(() => apiGateway({ ...options, resources: { '/items': { GET: proxy('echo') } } })).not.toThrow();
  });

  it('finds the peers this repository installs', () => {
    expect(isPeerInstalled('tsx')).toBe(true);
    expect(isPeerInstalled('@smithy/signature-v4')).toBe(true);
  });

  it('tells a missing peer from a module the peer itself cannot find', () => {
    const missing = (message: string, code = 'MODULE_NOT_FOUND') =>
      Object.assign(new Error(message), { code });
    expect(isMissingPeer(missing("Cannot find module 'tsx/cjs/api'"), 'tsx')).toBe(true);
    expect(
      isMissingPeer(missing("Cannot find package 'tsx' imported from /a.js", 'ERR_MODULE_NOT_FOUND'), 'tsx'),
    ).toBe(true);
    expect(isMissingPeer(missing("Cannot find module 'esbuild'"), 'tsx')).toBe(false);
    expect(isMissingPeer(new Error("Cannot find module 'tsx'"), 'tsx')).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** One request as the service saw it, with smithy's verdict on its SigV4 signature. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  /** Null when the signature checks out; else what is wrong. */
  signatureProblem: string | null;
  credentialScope: string;
}

export interface SigningServer {
  url: string;
  requests: RecordedRequest[];
  /** What the next requests are answered with (default 200 `{}`). */
  answer: (req: RecordedRequest, res: ServerResponse) => void;
  close: () => Promise<void>;
}

function parseTimestamp(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return new Date(Number.NaN);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** Recomputes the signature with @smithy/signature-v4 (the SDKs' own signer) from what arrived. */
async function verify(
  req: IncomingMessage,
  body: Buffer,
  secrets: Record<string, string>,
): Promise<{ problem: string | null; scope: string }> {
  const auth = req.headers.authorization ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return { problem: `malformed Authorization: ${auth}`, scope: '' };
  const [, accessKeyId, scope, signedList, signature] = m;
  const [, region, service] = scope.split('/');
  const secretAccessKey = secrets[accessKeyId];
  if (secretAccessKey === undefined) return { problem: `unknown key ${accessKeyId}`, scope };
  const payloadHash = createHash('sha256').update(body).digest('hex');
  if (req.headers['x-amz-content-sha256'] !== payloadHash) return { problem: 'payload hash differs', scope };
  const headers: Record<string, string> = {};
  for (const name of signedList.split(';')) headers[name] = String(req.headers[name] ?? '');
  const url = new URL(`http://localhost${req.url ?? '/'}`);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prior = query[k];
    query[k] = prior === undefined ? v : ([] as string[]).concat(prior, v);
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey,
      sessionToken: req.headers['x-amz-security-token'] as string | undefined,
    },
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: service !== 's3',
  });
  const signed = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: 'localhost',
      path: url.pathname,
      query,
      headers,
      body,
    },
    { signingDate: parseTimestamp(String(req.headers['x-amz-date'])) },
  );
  const expected = String(signed.headers.authorization);
  return {
    problem: expected.endsWith(`Signature=${signature}`) ? null : `expected ${expected}, got ${auth}`,
    scope,
  };
}

/** A node:http server standing in for SQS, SNS, Step Functions or EventBridge: it records and verifies. */
export async function startSigningServer(secrets: Record<string, string>): Promise<SigningServer> {
  const requests: RecordedRequest[] = [];
  const state: SigningServer = {
    url: '',
    requests,
    answer: (_req, res) => {
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end('{}');
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const { problem, scope } = await verify(req, body, secrets);
      const url = new URL(`http://localhost${req.url ?? '/'}`);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers as Record<string, string>,
        body,
        signatureProblem: problem,
        credentialScope: scope,
      };
      requests.push(recorded);
      if (problem !== null) {
        res.statusCode = 403;
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: problem }));
        return;
      }
      state.answer(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

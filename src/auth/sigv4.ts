import { type BinaryLike, createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { isMissingPeer, missingPeerMessage, requirePeer } from '../optional-peer.js';

/** The parts of a SigV4 signature, read from the Authorization header or a presigned query. */
export interface SignatureClaim {
  accessKeyId: string;
  /** `{date}/{region}/{service}/{terminator}`, as the client wrote it. */
  scope: string;
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  scopeTerminator: string;
  /** Lower-case names, in the client's order. */
  signedHeaders: string[];
  signature: string;
  /** `yyyyMMddTHHmmssZ`. */
  longDate: string;
  signedAt: number;
  /** Presigned URLs only: `X-Amz-Expires` in seconds. */
  expiresIn?: number;
  securityToken?: string;
}

/** Why a request's signature could not even be read: AWS's x-amzn-ErrorType and message. */
export interface SignatureProblem {
  errorType: 'IncompleteSignatureException' | 'InvalidSignatureException';
  message: string;
}

/** What the gateway needs of one request to check its signature: the bytes as the client sent them. */
export interface SignedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Map<string, string[]>;
  body: Buffer;
}

// The signer is an optional peer dependency, loaded by the first signed request (types only here).
type SignerModule = typeof import('@smithy/signature-v4');
type SmithyRequest = Parameters<InstanceType<SignerModule['SignatureV4']>['presign']>[0];

const ALGORITHM_IDENTIFIER = 'AWS4-HMAC-SHA256';

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** `yyyyMMddTHHmmssZ`, the form every SigV4 date takes. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function parseAmzDate(text: string): number | undefined {
  const m = ISO_BASIC.exec(text);
  if (m === null) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return formatAmzDate(ms) === text ? ms : undefined; // month 13, 25 o'clock…
}

/** `+` is a space and a stray `%` stays as sent, as in the event's query maps. */
function decodeQueryPart(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The query as smithy's canonical form takes it: decoded names → every value, in order. */
export function parseSignedQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  if (raw === '') return query;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeQueryPart(pair.slice(eq + 1));
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}

/** Lower-case header name → its values as sent, before the gateway's own headers are added. */
export function signedHeaderValues(req: GatewayRequest): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const raw = req.rawHeaders;
  if (raw !== undefined) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      const list = values.get(name);
      if (list === undefined) values.set(name, [raw[i + 1]]);
      else list.push(raw[i + 1]);
    }
    return values;
  }
  for (const [name, list] of Object.entries(req.headers.multiValueHeaders))
    values.set(name.toLowerCase(), list);
  return values;
}

/** The request as the signature covers it: path with the stage, query and headers as sent. */
export function toSignedRequest(req: GatewayRequest): SignedRequest {
  return {
    method: req.httpMethod,
    path: req.requestPath,
    query: parseSignedQuery(req.rawQuery ?? ''),
    headers: signedHeaderValues(req),
    body: req.body,
  };
}

const last = (values: string[] | undefined): string | undefined =>
  values === undefined ? undefined : values[values.length - 1];

const firstQuery = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Date, signed headers, algorithm and credential: shared by both places a signature can come from,
 * checked in the order AWS's SigV4 front end answers them (recorded DynamoDB answers in
 * mhart/dynalite index.js: date format, then host signed, then algorithm, then credential).
 */
function readCredential(
  algorithm: string,
  credential: string,
  signedHeaders: string,
  signature: string,
  dateText: string,
  fromDateHeader: boolean,
): SignatureClaim | SignatureProblem {
  const signedAt = fromDateHeader ? Date.parse(dateText) : parseAmzDate(dateText);
  if (signedAt === undefined || Number.isNaN(signedAt)) {
    return incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${dateText}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const names = signedHeaders.split(';').map((name) => name.toLowerCase());
  // Unsigned, the Host would let a captured signature be replayed against another API
  // (wording: aws/aws-sdk-php#2469, opensearch-project/opensearch-php#248; type: dynalite).
  if (!names.includes('host') && !names.includes(':authority')) {
    return {
      errorType: 'InvalidSignatureException',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    };
  }
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    return incomplete(`Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `);
  }
  const parts = credential.split('/');
  if (parts.length !== 5) {
    return incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator] = parts;
  return {
    accessKeyId,
    scope: parts.slice(1).join('/'),
    scopeDate,
    scopeRegion,
    scopeService,
    scopeTerminator,
    signedHeaders: names,
    signature,
    longDate: formatAmzDate(signedAt),
    signedAt,
  };
}

const incomplete = (message: string): SignatureProblem => ({
  errorType: 'IncompleteSignatureException',
  message,
});

/**
 * Reads `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. The first
 * word is the algorithm, the rest comma-separated `key=value` parts.
 */
function readAuthorizationHeader(
  header: string,
  headers: Map<string, string[]>,
): SignatureClaim | SignatureProblem {
  const space = header.indexOf(' ');
  const params = new Map<string, string>();
  if (space !== -1) {
    for (const piece of header.slice(space + 1).split(',')) {
      const part = piece.trim();
      if (part === '') continue;
      const eq = part.indexOf('=');
      // Recorded: `Bearer abc` → "'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."
      if (eq === -1)
        return incomplete(
          `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
        );
      params.set(part.slice(0, eq), part.slice(eq + 1));
    }
  }
  const amzDate = last(headers.get('x-amz-date'));
  const date = amzDate ?? last(headers.get('date'));
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.has(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (date === undefined)
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) return incomplete(`${missing.join(' ')} Authorization=${header}`);
  return readCredential(
    space === -1 ? header : header.slice(0, space),
    params.get('Credential') as string,
    params.get('SignedHeaders') as string,
    params.get('Signature') as string,
    date as string,
    amzDate === undefined,
  );
}

const PRESIGNED_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
];

/** `?X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Signature=…` (a presigned URL). */
function readPresignedQuery(query: Record<string, string | string[]>): SignatureClaim | SignatureProblem {
  const values = PRESIGNED_PARAMS.map((name) => firstQuery(query[name]));
  if (values.some((v) => v === undefined)) {
    return incomplete(
      "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    );
  }
  const [algorithm, credential, signature, date, signedHeaders] = values as string[];
  // UNSURE for presigned URLs: the header's answer is taken (scratchstack-aws-signature answers
  // Missing Authentication Token instead); either way the request is refused.
  const claim = readCredential(algorithm, credential, signedHeaders, signature, date, false);
  if ('errorType' in claim) return claim;
  const expires = firstQuery(query['X-Amz-Expires']);
  if (expires !== undefined) {
    const seconds = Number(expires);
    if (!/^\d+$/.test(expires) || seconds < 1 || seconds > 604_800) {
      return incomplete(
        `X-Amz-Expires must be a whole number of seconds from 1 to 604800, got '${expires}'.`,
      );
    }
    claim.expiresIn = seconds;
  }
  claim.securityToken = firstQuery(query['X-Amz-Security-Token']);
  return claim;
}

/**
 * The signature a request carries: from its Authorization header, else from a presigned query;
 * undefined when it carries none (AWS then answers Missing Authentication Token).
 */
export function readSignature(request: SignedRequest): SignatureClaim | SignatureProblem | undefined {
  const authorization = last(request.headers.get('authorization'));
  if (authorization !== undefined && authorization !== '') {
    const claim = readAuthorizationHeader(authorization, request.headers);
    if (!('errorType' in claim)) claim.securityToken = last(request.headers.get('x-amz-security-token'));
    return claim;
  }
  if (request.query['X-Amz-Signature'] !== undefined) return readPresignedQuery(request.query);
  return undefined;
}

/** What the gateway computed for a request: the texts AWS shows when the signatures differ. */
export interface ExpectedSignature {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/**
 * SHA-256 and HMAC-SHA256 as smithy's signer takes them (its `sha256` option), from node:crypto
 * rather than another package.
 */
class NodeSha256 {
  private hash!: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.reset();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBinary(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash =
      this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBinary(this.secret));
  }
}

function toBinary(data: string | ArrayBuffer | ArrayBufferView): BinaryLike {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

interface Signer {
  expected(request: SignedRequest, claim: SignatureClaim): Promise<ExpectedSignature>;
}
type SignerClass = new (
  accessKeyId: string,
  secretAccessKey: string,
  region: string,
  service: string,
) => Signer;

let signerClass: SignerClass | undefined;

/**
 * Loads `@smithy/signature-v4` on the first AWS_IAM method; startup (`createIamGuard`) has checked
 * that it is installed and named it when not.
 */
function loadSignerClass(): SignerClass {
  if (signerClass === undefined) {
    try {
      signerClass = defineSigner(requirePeer('@smithy/signature-v4') as SignerModule);
    } catch (error) {
      if (isMissingPeer(error, '@smithy/signature-v4'))
        throw new ConfigError(missingPeerMessage('AWS_IAM', '@smithy/signature-v4'));
      throw error;
    }
  }
  return signerClass;
}

/**
 * One credential's signer, turned round: recomputes the signature a request should carry, with
 * smithy's canonical request (path normalised and encoded twice, sorted query, trimmed headers),
 * string to sign and signing key.
 */
export class SignatureCheck {
  private readonly signer: Signer;
  constructor(accessKeyId: string, secretAccessKey: string, region: string, service: string) {
    const Check = loadSignerClass();
    this.signer = new Check(accessKeyId, secretAccessKey, region, service);
  }

  expected(request: SignedRequest, claim: SignatureClaim): Promise<ExpectedSignature> {
    return this.signer.expected(request, claim);
  }
}

function defineSigner({ SignatureV4, getCanonicalHeaders }: SignerModule): SignerClass {
  return class extends SignatureV4 implements Signer {
    constructor(accessKeyId: string, secretAccessKey: string, region: string, service: string) {
      super({
        credentials: { accessKeyId, secretAccessKey },
        region,
        service,
        sha256: NodeSha256,
        applyChecksum: false,
      });
    }
    async expected(request: SignedRequest, claim: SignatureClaim): Promise<ExpectedSignature> {
      const headers: Record<string, string> = Object.create(null);
      for (const name of claim.signedHeaders) {
        headers[name] = (request.headers.get(name) ?? []).map((v) => v.trim()).join(',');
      }
      const smithyRequest: SmithyRequest = {
        method: request.method,
        protocol: 'https:',
        hostname: last(request.headers.get('host')) ?? '',
        path: request.path,
        query: request.query,
        headers,
        body: request.body,
      };
      const canonicalHeaders = getCanonicalHeaders(smithyRequest, undefined, new Set(claim.signedHeaders));
      const canonicalRequest = this.createCanonicalRequest(
        smithyRequest,
        canonicalHeaders,
        payloadHash(request, claim),
      );
      const stringToSign = await this.createStringToSign(
        claim.longDate,
        claim.scope,
        canonicalRequest,
        ALGORITHM_IDENTIFIER,
      );
      const signature = await this.sign(stringToSign, { signingDate: new Date(claim.signedAt) });
      return { canonicalRequest, stringToSign, signature };
    }
  };
}

/**
 * The body's SHA-256; `UNSIGNED-PAYLOAD` only when the client signed `x-amz-content-sha256` with
 * that value. A signed hash that is not the body's is not taken on trust: the recomputed canonical
 * request then differs and the request is refused.
 */
function payloadHash(request: SignedRequest, claim: SignatureClaim): string {
  if (claim.signedHeaders.includes('x-amz-content-sha256')) {
    if (last(request.headers.get('x-amz-content-sha256'))?.trim() === UNSIGNED_PAYLOAD)
      return UNSIGNED_PAYLOAD;
  }
  return createHash('sha256').update(request.body).digest('hex');
}

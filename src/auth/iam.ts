import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';
import type { ApiGatewayOptions, AwsCredential } from '../config/types.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { isPeerInstalled, missingPeerMessage } from '../optional-peer.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { GatewayResponseType } from '../responses/gateway-responses.js';
import type { GuardContext, MethodGuard, RequestAuth } from './guard.js';
import {
  formatAmzDate,
  readSignature,
  SignatureCheck,
  type SignatureClaim,
  type SignedRequest,
  toSignedRequest,
  UNSIGNED_PAYLOAD,
} from './sigv4.js';

const SERVICE = 'execute-api';
const TERMINATOR = 'aws4_request';
/** AWS accepts a signing date up to five minutes either side of its clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
// Recorded on execute-api hosts (kndt84/aws-api-gateway-client#31): unknown key, or a bad session token.
const INVALID_TOKEN = 'The security token included in the request is invalid.';

// `{"message":"…"}` with the message also as `$context.error.message` for gateway response templates.
const refuse = (responseType: GatewayResponseType, message: string, errorType?: string): GatewayError =>
  new GatewayError(responseType, { message, body: JSON.stringify({ message }), errorType });

/** One access key, ready to check signatures and to name its caller. */
interface CompiledCredential {
  check: SignatureCheck;
  sessionToken?: string;
  identity: Record<string, string | null>;
}

// Compiled once per apiGateway(): every AWS_IAM method of one API shares the same keys.
const compiledCredentials = new WeakMap<ApiGatewayOptions, Map<string, CompiledCredential>>();

/** A stable 17-character id for a principal, in the alphabet of IAM unique ids (AIDA…, AROA…). */
function uniqueIdFor(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = '';
  for (let i = 0; i < 17; i++) id += alphabet[digest[i] % 32];
  return id;
}

/**
 * `requestContext.identity` of a signed request: an IAM user is `AIDA…`, an assumed role
 * `AROA…:<session>` (recorded test-invoke event, blog.daringkoala.com/posts/apigw-lambda-integration-payloads).
 */
export function iamIdentity(accessKeyId: string, credential: AwsCredential): Record<string, string | null> {
  const arn = credential.userArn;
  const accountId = arn.split(':')[4];
  let caller = credential.caller;
  if (caller === undefined) {
    const assumed = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
    caller = assumed
      ? `AROA${uniqueIdFor(arn.slice(0, arn.lastIndexOf('/')))}:${assumed[1]}`
      : `AIDA${uniqueIdFor(arn)}`;
  }
  return { accessKey: accessKeyId, accountId, caller, user: caller, userArn: arn };
}

function compileCredentials(ctx: GuardContext): Map<string, CompiledCredential> {
  let compiled = compiledCredentials.get(ctx.options);
  if (compiled !== undefined) return compiled;
  compiled = new Map();
  for (const [accessKeyId, credential] of Object.entries(ctx.options.awsCredentials ?? {})) {
    compiled.set(accessKeyId, {
      check: new SignatureCheck(accessKeyId, credential.secretAccessKey, ctx.identity.region, SERVICE),
      sessionToken: credential.sessionToken,
      identity: iamIdentity(accessKeyId, credential),
    });
  }
  compiledCredentials.set(ctx.options, compiled);
  return compiled;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The guard of an AWS_IAM method: a SigV4 signature (Authorization header or presigned query)
 * over the request as sent, stage included, checked against `awsCredentials` and the clock.
 * @example apiGateway({ awsCredentials: { AKIAIOSFODNN7EXAMPLE: { secretAccessKey, userArn } }, … })
 */
export function createIamGuard(route: string, ctx: GuardContext): MethodGuard {
  if (!isPeerInstalled('@smithy/signature-v4')) {
    throw new ConfigError(missingPeerMessage(`${route}: authorizationType AWS_IAM`, '@smithy/signature-v4'));
  }
  return new IamGuard(compileCredentials(ctx), ctx.identity.region, ctx.now);
}

class IamGuard implements MethodGuard {
  constructor(
    private readonly credentials: Map<string, CompiledCredential>,
    private readonly region: string,
    private readonly now: () => number,
  ) {}

  /** The payload is hashed into the signature unless the client signed `x-amz-content-sha256: UNSIGNED-PAYLOAD`. */
  readsBody(req: GatewayRequest): boolean {
    const request = toSignedRequest(req);
    const claim = readSignature(request);
    if (claim === undefined || 'errorType' in claim) return false; // refused either way
    // Scope, clock, key and session token need no payload: a request they refuse is refused unread.
    if (this.credentialFor(claim) instanceof GatewayError) return false;
    // As sigv4.ts's payloadHash decides: a signed UNSIGNED-PAYLOAD leaves the body out.
    const signed = request.headers.get('x-amz-content-sha256');
    return !(
      claim.signedHeaders.includes('x-amz-content-sha256') &&
      signed?.[signed.length - 1]?.trim() === UNSIGNED_PAYLOAD
    );
  }

  async authorize(req: GatewayRequest): Promise<RequestAuth | GatewayError> {
    const request = toSignedRequest(req);
    const claim = readSignature(request);
    if (claim === undefined) return new GatewayError('MISSING_AUTHENTICATION_TOKEN');
    if ('errorType' in claim) return refuse('INVALID_SIGNATURE', claim.message, claim.errorType);

    const credential = this.credentialFor(claim);
    if (credential instanceof GatewayError) return credential;
    return this.checkSignature(request, claim, credential);
  }

  /** The signer's credential once scope, clock, key and session token pass: all read before the payload. */
  private credentialFor(claim: SignatureClaim): CompiledCredential | GatewayError {
    const scopeError = this.checkScope(claim);
    if (scopeError !== undefined) return scopeError;
    const clockError = this.checkClock(claim);
    if (clockError !== undefined) return clockError;

    const credential = this.credentials.get(claim.accessKeyId);
    if (credential === undefined) return refuse('ACCESS_DENIED', INVALID_TOKEN);
    if (
      credential.sessionToken !== undefined &&
      !sameText(claim.securityToken ?? '', credential.sessionToken)
    ) {
      return refuse('ACCESS_DENIED', INVALID_TOKEN);
    }
    return credential;
  }

  private checkScope(claim: SignatureClaim): GatewayError | undefined {
    // Texts as execute-api answers them, trailing space included (aws/aws-sdk-js#792, aws/aws-sdk-js-v3#1831).
    if (claim.scopeRegion !== this.region) {
      return refuse(
        'INVALID_SIGNATURE',
        `Credential should be scoped to a valid region, not '${claim.scopeRegion}'. `,
      );
    }
    if (claim.scopeService !== SERVICE) {
      return refuse('INVALID_SIGNATURE', `Credential should be scoped to correct service: '${SERVICE}'. `);
    }
    if (claim.scopeTerminator !== TERMINATOR) {
      return refuse(
        'INVALID_SIGNATURE',
        `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${claim.scopeTerminator}'. `,
      );
    }
    const day = claim.longDate.slice(0, 8);
    if (claim.scopeDate !== day) {
      return refuse(
        'INVALID_SIGNATURE',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${day}', from '${claim.longDate}'.`,
      );
    }
    return undefined;
  }

  private checkClock(claim: SignatureClaim): GatewayError | undefined {
    const now = Math.floor(this.now() / 1000) * 1000;
    if (claim.signedAt > now + MAX_SKEW_MS) {
      return refuse(
        'INVALID_SIGNATURE',
        `Signature not yet current: ${claim.longDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`,
      );
    }
    if (claim.expiresIn !== undefined) {
      // A presigned URL lives for X-Amz-Expires seconds from its date (message form UNSURE on API Gateway).
      const windowMs = claim.expiresIn * 1000;
      if (claim.signedAt < now - windowMs) {
        return refuse(
          'EXPIRED_TOKEN',
          `Signature expired: ${claim.longDate} is now earlier than ${formatAmzDate(now - windowMs)} (${formatAmzDate(now)} - ${claim.expiresIn} sec.)`,
        );
      }
      return undefined;
    }
    if (claim.signedAt < now - MAX_SKEW_MS) {
      return refuse(
        'EXPIRED_TOKEN',
        `Signature expired: ${claim.longDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`,
      );
    }
    return undefined;
  }

  private async checkSignature(
    request: SignedRequest,
    claim: SignatureClaim,
    credential: CompiledCredential,
  ): Promise<RequestAuth | GatewayError> {
    const expected = await credential.check.expected(request, claim);
    if (!sameText(claim.signature, expected.signature)) {
      return refuse(
        'INVALID_SIGNATURE',
        `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${expected.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${expected.stringToSign}'\n`,
      );
    }
    return { identity: { ...credential.identity } };
  }
}

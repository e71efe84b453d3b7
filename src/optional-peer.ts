import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Packages only some features need, installed by the app when it uses them (optional peer
 * dependencies): `tsx` for TypeScript handler paths, `@smithy/signature-v4` for AWS_IAM, `ioredis`
 * for a Redis usage store. Apps that use none of them install none of them. `@opentelemetry/api`
 * (stage metrics) is an optional peer too, but never loaded here: the meter an app passes brings it.
 */
export type OptionalPeer = 'tsx' | '@smithy/signature-v4' | 'ioredis';

// ESM output has no `require`: resolve from the app's directory instead (as the ioredis store does).
const requireHere = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'index.js'));

const installed = new Map<OptionalPeer, boolean>();

/** Whether the package can be loaded; checked once per process. */
export function isPeerInstalled(name: OptionalPeer): boolean {
  let found = installed.get(name);
  if (found === undefined) {
    try {
      requireHere.resolve(`${name}/package.json`);
      found = true;
    } catch {
      found = false;
    }
    installed.set(name, found);
  }
  return found;
}

/** Loads an optional peer synchronously (after `isPeerInstalled` said it is there). */
export function requirePeer(name: OptionalPeer): unknown {
  return requireHere(name);
}

/** `… needs the optional package tsx: npm install tsx`. */
export function missingPeerMessage(what: string, name: OptionalPeer): string {
  return `${what} needs the optional package ${name}: npm install ${name}`;
}

/** A module-not-found error (CommonJS or ES module) for `name` itself, not for something it loads. */
export function isMissingPeer(error: unknown, name: OptionalPeer): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  const message = String((error as { message?: unknown }).message);
  return message.includes(`'${name}'`) || message.includes(`'${name}/`) || message.includes(`"${name}"`);
}

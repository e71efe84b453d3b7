import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Long-term or temporary AWS credentials to sign service requests with. */
export interface ServiceCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** `[profile]` sections of an INI file: name → key → value. */
function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

function fromProfile(env: NodeJS.ProcessEnv): ServiceCredentials | undefined {
  const file = env.AWS_SHARED_CREDENTIALS_FILE || path.join(homedir(), '.aws', 'credentials');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const profile = parseIni(text).get(env.AWS_PROFILE || 'default');
  const accessKeyId = profile?.get('aws_access_key_id');
  const secretAccessKey = profile?.get('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = profile?.get('aws_session_token') || undefined;
  return { accessKeyId, secretAccessKey, sessionToken };
}

/**
 * The first credentials of: the `awsServiceCredentials` option, the environment
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), the shared credentials file's
 * profile (AWS_PROFILE, default `default`). A light subset of the SDKs' default chain: no SSO,
 * no process credentials, no instance metadata.
 */
export function resolveServiceCredentials(
  given: ServiceCredentials | undefined,
  env: NodeJS.ProcessEnv,
): ServiceCredentials | undefined {
  if (given) return given;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN || undefined,
    };
  }
  return fromProfile(env);
}

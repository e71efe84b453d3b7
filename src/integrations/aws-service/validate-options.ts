import { ConfigError } from '../../config/config-error.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `awsServiceCredentials` and `awsEndpoints`, checked at startup. */
export function validateAwsServiceOptions(credentials: unknown, endpoints: unknown): void {
  if (credentials !== undefined) {
    if (!isObject(credentials)) throw new ConfigError('awsServiceCredentials: must be an object');
    for (const key of Object.keys(credentials)) {
      if (!['accessKeyId', 'secretAccessKey', 'sessionToken'].includes(key)) {
        throw new ConfigError(
          `awsServiceCredentials.${key}: unknown key (accessKeyId, secretAccessKey, sessionToken)`,
        );
      }
    }
    for (const key of ['accessKeyId', 'secretAccessKey'] as const) {
      if (typeof credentials[key] !== 'string' || credentials[key] === '') {
        throw new ConfigError(`awsServiceCredentials.${key}: must be a non-empty string`);
      }
    }
    if (credentials.sessionToken !== undefined && typeof credentials.sessionToken !== 'string') {
      throw new ConfigError('awsServiceCredentials.sessionToken: must be a string');
    }
  }
  if (endpoints !== undefined) {
    if (!isObject(endpoints)) throw new ConfigError('awsEndpoints: must be an object (service → URL)');
    for (const [service, url] of Object.entries(endpoints)) {
      let ok = false;
      try {
        ok = typeof url === 'string' && /^https?:$/.test(new URL(url).protocol);
      } catch {
        ok = false;
      }
      if (!ok)
        throw new ConfigError(`awsEndpoints.${service}: must be an http(s) URL (got ${JSON.stringify(url)})`);
    }
  }
}

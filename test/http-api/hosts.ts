import http from 'node:http';
import type { HttpApiMiddleware, HttpApiOptions } from '../../src/index.js';
import { httpApi } from '../../src/index.js';
import { EXPRESS_VERSIONS, silentLogger } from '../support/create-app.js';

/** Something supertest can call: an Express app, or a bare node:http server. */
export type Host = (options: HttpApiOptions) => http.RequestListener | http.Server;

const opened: HttpApiMiddleware[] = [];

function mount(options: HttpApiOptions): HttpApiMiddleware {
  const api = httpApi({ logger: silentLogger(), ...options });
  opened.push(api);
  return api;
}

/** Releases what the APIs made in a suite hold (its process error handlers). */
export async function closeApis(): Promise<void> {
  await Promise.all(opened.splice(0).map((api) => api.close()));
}

/** Every suite runs on Express 5, Express 4 and a bare node:http server. */
export const HOSTS: [string, Host][] = [
  ...EXPRESS_VERSIONS.map(([version, factory]): [string, Host] => [
    `Express ${version}`,
    (options) => {
      const app = factory();
      app.use(mount(options));
      // The host app's own routes, reached outside a named stage.
      app.get('/host', (_req, res) => {
        res.send('host app');
      });
      return app as unknown as http.RequestListener;
    },
  ]),
  [
    'node:http',
    (options) => {
      const api = mount(options);
      return http.createServer((req, res) => api(req, res));
    },
  ],
];

/** A handler that answers with the event it got. */
export const echo = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) });

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

/** An answer read off the socket: status, lower-case headers, body as text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A server listening on a free port, for raw requests. */
export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Listens with an Express app or a bare `(req, res)` handler on a free local port. */
export async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Reads one HTTP/1.1 answer as it arrives: resolves once its head and Content-Length bytes (or the
 * last chunk) are in, without waiting for the connection to close.
 */
function readAnswer(socket: net.Socket): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const done = (answer: RawAnswer) => {
      socket.off('data', onData);
      resolve(answer);
    };
    const tryParse = (closed: boolean): void => {
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) {
        if (closed)
          reject(new Error(`connection closed before an answer: ${JSON.stringify(data.toString())}`));
        return;
      }
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1]);
      const rest = data.subarray(end + 4);
      if (headers['content-length'] !== undefined) {
        const length = Number(headers['content-length']);
        if (rest.length >= length) done({ status, headers, body: rest.subarray(0, length).toString('utf8') });
        else if (closed) reject(new Error('connection closed mid-body'));
        return;
      }
      if (headers['transfer-encoding'] === 'chunked') {
        const text = rest.toString('latin1');
        if (!text.includes('\r\n0\r\n\r\n') && !text.startsWith('0\r\n\r\n')) return;
        let body = '';
        let at = 0;
        for (;;) {
          const lineEnd = text.indexOf('\r\n', at);
          const size = Number.parseInt(text.slice(at, lineEnd), 16);
          if (size === 0) break;
          body += text.slice(lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
        }
        done({ status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
        return;
      }
      if (closed) done({ status, headers, body: rest.toString('utf8') });
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      tryParse(false);
    };
    socket.on('data', onData);
    socket.on('end', () => tryParse(true));
    socket.on('error', reject);
  });
}

/** A request whose head (and any body bytes given) are sent; the rest is up to the test. */
export interface OpenRequest {
  socket: net.Socket;
  /** The answer, as soon as it is complete. */
  answer: Promise<RawAnswer>;
}

/**
 * Sends `head` (request line and headers; the blank line is added) and `body` byte for byte,
 * and leaves the socket open: a test can stall the rest of a body, or destroy the socket.
 */
export async function openRequest(
  port: number,
  head: string,
  body: Buffer | string = '',
): Promise<OpenRequest> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const answer = readAnswer(socket);
  answer.catch(() => {}); // a test that destroys the socket need not read it
  socket.write(`${head}\r\n\r\n`);
  if (body.length > 0) socket.write(body);
  return { socket, answer };
}

/**
 * One complete request exactly as written (request target untouched, which HTTP clients would
 * normalise): `rawRequest(port, 'GET /prod/a/../b HTTP/1.1', { Host: 'h' })`.
 */
export async function rawRequest(
  port: number,
  requestLine: string,
  headers: Record<string, string> = {},
  body: Buffer | string = '',
): Promise<RawAnswer> {
  const lines = [requestLine, 'Connection: close'];
  const named = (name: string) => Object.keys(headers).some((n) => n.toLowerCase() === name);
  const all = named('host') ? headers : { Host: 'localhost', ...headers };
  for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
  if (body.length > 0 && !named('content-length')) {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  const { socket, answer } = await openRequest(port, lines.join('\r\n'), body);
  try {
    return await answer;
  } finally {
    socket.destroy();
  }
}

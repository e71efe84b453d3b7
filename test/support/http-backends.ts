import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import express from 'express';

/** A backend listening on a free local port; `url` is its origin. */
export interface Backend {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function listenOn(server: http.Server | net.Server): Promise<Backend> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (server instanceof http.Server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the echo backend received, as JSON. */
export interface Echoed {
  method: string;
  url: string;
  /** Names as sent, in order. */
  rawHeaders: string[];
  headers: Record<string, string | string[] | undefined>;
  bodyBase64: string;
  /** The client port of the connection it came on: equal for two requests on one kept-alive connection. */
  remotePort: number;
}

/**
 * Another Express app: `/echo/*` answers 200 with what it received as JSON, `/status/:code` answers
 * that status with a JSON body and a few headers of its own (two Set-Cookie lines among them).
 */
export function echoBackend(): Promise<Backend> {
  const app = express();
  app.use((req, _res, next) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      (req as unknown as { raw: Buffer }).raw = Buffer.concat(chunks);
      next();
    });
  });
  app.all('/status/:code', (req, res) => {
    res.status(Number(req.params.code));
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.setHeader('X-Backend', 'yes');
    res.json({ status: Number(req.params.code), message: `status ${req.params.code}` });
  });
  app.all('/binary', (_req, res) => {
    res.type('application/octet-stream').send(Buffer.from([0, 255, 128, 10, 13, 0xc3]));
  });
  app.all('/{*rest}', (req, res) => {
    const echoed: Echoed = {
      method: req.method,
      url: req.originalUrl,
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      bodyBase64: (req as unknown as { raw: Buffer }).raw.toString('base64'),
      remotePort: req.socket.remotePort as number,
    };
    res.json(echoed);
  });
  return listenOn(http.createServer(app));
}

/** A server that accepts connections and never answers. */
export function hangingBackend(): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  return listenOn(server).then((backend) => ({
    ...backend,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return backend.close();
    },
  }));
}

/** A server that reads the request, then resets the connection without a byte of answer. */
export function resettingBackend(): Promise<Backend> {
  return listenOn(
    net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.resetAndDestroy());
    }),
  );
}

/** A server that answers with bytes that are not HTTP. */
export function garbageBackend(): Promise<Backend> {
  return listenOn(
    net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end('this is not HTTP at all\r\n\r\n'));
    }),
  );
}

/**
 * A server that sends its head at once and the rest of its body only when `release()` is called;
 * `received()` resolves once a request has come in.
 */
export function slowBackend(): Promise<Backend & { release(): void; received(): Promise<void> }> {
  const waiting: http.ServerResponse[] = [];
  let arrived: () => void = () => {};
  let arrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('first part, ');
    waiting.push(res);
    arrived();
  });
  return listenOn(server).then((backend) => ({
    ...backend,
    received: () => arrival,
    release: () => {
      for (const res of waiting.splice(0)) res.end('second part');
      arrival = new Promise<void>((resolve) => {
        arrived = resolve;
      });
    },
  }));
}

/** An https server whose certificate no one signed (test/fixtures/tls). */
export function selfSignedBackend(key: string, cert: string): Promise<Backend> {
  const server = https.createServer({ key, cert }, (_req, res) => res.end('secret'));
  return listenOn(server).then((backend) => ({ ...backend, url: `https://127.0.0.1:${backend.port}` }));
}

/** A port nothing listens on: a listener opened and closed again. */
export async function refusedPort(): Promise<number> {
  const backend = await listenOn(net.createServer());
  await backend.close();
  return backend.port;
}

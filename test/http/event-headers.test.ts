import { setGatewayHeader, toEventHeaders } from '../../src/http/event-headers.js';

describe('toEventHeaders', () => {
  it('keeps the client casing except for Authorization and User-Agent (recorded)', () => {
    const h = toEventHeaders([
      'tEsT-HEADeR',
      'aValUE',
      'aUThorization',
      'Bearer x',
      'user-Agent',
      'ua',
      'host',
      'h',
    ]);
    expect(h.headers).toEqual({
      'tEsT-HEADeR': 'aValUE',
      Authorization: 'Bearer x',
      'User-Agent': 'ua',
      host: 'h',
    });
    expect(h.multiValueHeaders).toEqual({
      'tEsT-HEADeR': ['aValUE'],
      Authorization: ['Bearer x'],
      'User-Agent': ['ua'],
      host: ['h'],
    });
  });

  it('drops Content-Length, Connection and the other hop-by-hop headers', () => {
    const h = toEventHeaders([
      'Content-Length',
      '3',
      'Connection',
      'keep-alive',
      'Transfer-Encoding',
      'chunked',
      'Expect',
      '100-continue',
      'Content-Type',
      'text/plain',
    ]);
    expect(h.headers).toEqual({ 'Content-Type': 'text/plain' });
    expect(h.multiValueHeaders).toEqual({ 'Content-Type': ['text/plain'] });
  });

  it('collects duplicate lines under the first spelling, last value in headers', () => {
    const h = toEventHeaders(['X-A', '1', 'x-a', '2', 'X-A', '3']);
    expect(h.headers).toEqual({ 'X-A': '3' });
    expect(h.multiValueHeaders).toEqual({ 'X-A': ['1', '2', '3'] });
    expect(h.lower.get('x-a')).toBe('3');
  });

  it('gives empty maps for no headers', () => {
    expect(toEventHeaders([])).toEqual({
      headers: {},
      multiValueHeaders: {},
      lower: new Map(),
      names: new Map(),
    });
  });
});

describe('setGatewayHeader', () => {
  it('replaces a client header of any casing with the gateway spelling', () => {
    const h = toEventHeaders(['x-forwarded-proto', 'https', 'Accept', '*/*']);
    setGatewayHeader(h, 'X-Forwarded-Proto', 'http');
    expect(h.headers).toEqual({ Accept: '*/*', 'X-Forwarded-Proto': 'http' });
    expect(h.multiValueHeaders).toEqual({ Accept: ['*/*'], 'X-Forwarded-Proto': ['http'] });
    expect(h.lower.get('x-forwarded-proto')).toBe('http');
  });
});

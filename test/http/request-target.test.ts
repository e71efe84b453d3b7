import fc from 'fast-check';
import {
  canonicalPath,
  isAmbiguousPath,
  parseRequestTarget,
  unreservedSegment,
} from '../../src/http/request-target.js';
import { matchRoute } from '../../src/routing/match-route.js';
import { addResource, createResourceNode } from '../../src/routing/resource-tree.js';

// Characters a client can put in a path as-is (no `?` or `#`, which end it), the awkward ones included.
const pathChar = fc.constantFrom(...'abAZ09-._~!$&\'()*+,;=:@%{}[]|^`"<>\\'.split(''), '%2e', '%2E', '%2F');
const segment = fc.array(pathChar, { maxLength: 6 }).map((c) => c.join(''));
const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`);
const query = fc.array(fc.constantFrom(...'ab=&%+/?:'.split('')), { maxLength: 8 }).map((c) => c.join(''));

describe('parseRequestTarget', () => {
  it('reads origin-form as path and query, dropping the fragment', () => {
    fc.assert(
      fc.property(path, query, query, (p, q, f) => {
        expect(parseRequestTarget(`${p}?${q}#${f}`)).toEqual({ path: p, query: q });
        expect(parseRequestTarget(`${p}#?${f}`)).toEqual({ path: p, query: '' });
      }),
    );
  });

  it('reduces absolute-form to the same path and query', () => {
    fc.assert(
      fc.property(path, query, (p, q) => {
        expect(parseRequestTarget(`http://h.example:8080${p}?${q}`)).toEqual({ path: p, query: q });
        expect(parseRequestTarget(`HTTPS://user@h${p}`)).toEqual({ path: p, query: '' });
      }),
    );
    expect(parseRequestTarget('http://h.example')).toEqual({ path: '/', query: '' });
    expect(parseRequestTarget('http://h.example?x=1')).toEqual({ path: '/', query: 'x=1' });
  });

  it('names no path for the asterisk and authority forms', () => {
    expect(parseRequestTarget('*')).toBeUndefined();
    expect(parseRequestTarget('h.example:443')).toBeUndefined();
    expect(parseRequestTarget('')).toBeUndefined();
  });
});

describe('isAmbiguousPath', () => {
  it('refuses every path a WHATWG URL reader would read with other segments', () => {
    fc.assert(
      fc.property(path, (p) => {
        if (p.startsWith('//')) return; // leading slashes collapse before any reader sees them
        let read: string;
        try {
          read = new URL(p, 'http://h').pathname;
        } catch {
          expect(isAmbiguousPath(p)).toBe(true); // `/\` reads as an empty authority
          return;
        }
        if (read.split('/').length !== p.split('/').length) expect(isAmbiguousPath(p)).toBe(true);
        if (!isAmbiguousPath(p)) expect(read.split('/').length).toBe(p.split('/').length);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses dot segments in every spelling, and nothing else with dots', () => {
    for (const p of ['/.', '/..', '/a/./b', '/a/../b', '/a/%2e', '/%2E%2e/x', '/.%2e', '/a/b/..', '/a\\b'])
      expect({ p, ambiguous: isAmbiguousPath(p) }).toEqual({ p, ambiguous: true });
    for (const p of ['/', '/a.b', '/...', '/..a', '/a./b', '/%2e%2e%2e', '/%2ex', '/a//b/'])
      expect({ p, ambiguous: isAmbiguousPath(p) }).toEqual({ p, ambiguous: false });
  });
});

describe('canonicalPath', () => {
  it('is one slash between non-empty segments, none at the end, unreserved escapes decoded, and idempotent', () => {
    fc.assert(
      fc.property(path, (p) => {
        const c = canonicalPath(p);
        expect(c.startsWith('/')).toBe(true);
        expect(c).not.toMatch(/\/\//);
        if (c !== '/') expect(c.endsWith('/')).toBe(false);
        expect(canonicalPath(c)).toBe(c);
        expect(c.split('/').filter(Boolean)).toEqual(p.split('/').filter(Boolean).map(unreservedSegment));
      }),
    );
  });

  it('names the resource routing matched: a path and its canonical form match the same resource and values', () => {
    const root = createResourceNode<string>('/');
    for (const r of ['/pets', '/pets/{id}', '/pets/{id}/toys', '/a/b/c', '/files/{proxy+}']) {
      addResource(root, r).methods.set('GET', r);
    }
    const part = fc.constantFrom('pets', '7', 'toys', 'a', 'b', 'c', 'files', 'x', '');
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
        const p = `/${parts.join('/')}`;
        const raw = matchRoute(root, p, 'GET');
        const canonical = matchRoute(root, canonicalPath(p), 'GET');
        expect(raw?.method).toBe(canonical?.method);
        // A greedy value keeps the slashes as sent; every other value is one segment.
        if (raw?.method !== '/files/{proxy+}') expect(raw?.pathParameters).toEqual(canonical?.pathParameters);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unreservedSegment', () => {
  it('decodes exactly the escapes of unreserved characters, in either hex case', () => {
    for (let code = 0; code < 256; code++) {
      const hex = code.toString(16).padStart(2, '0');
      const char = String.fromCharCode(code);
      const unreserved = /^[A-Za-z0-9\-._~]$/.test(char);
      for (const escaped of [`%${hex}`, `%${hex.toUpperCase()}`]) {
        expect({ escaped, out: unreservedSegment(`a${escaped}b`) }).toEqual({
          escaped,
          out: unreserved ? `a${char}b` : `a${escaped}b`,
        });
      }
    }
  });
});

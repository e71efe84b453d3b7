import fc from 'fast-check';
import { matchRoute } from '../../src/routing/match-route.js';
import { addResource, createResourceNode, type ResourceNode } from '../../src/routing/resource-tree.js';

/** A tree whose method map holds the resource template, so a match names what it found. */
function tree(paths: string[]): ResourceNode<string> {
  const root = createResourceNode<string>('/');
  for (const path of paths) {
    const node = addResource(root, path);
    node.methods.set('GET', path);
  }
  return root;
}

const resourceOf = (root: ResourceNode<string>, path: string) => {
  const match = matchRoute(root, path);
  return match && { resource: match.node.path, params: match.pathParameters };
};

describe('matchRoute', () => {
  const root = tree([
    '/',
    '/pets',
    '/pets/mine',
    '/pets/{petId}',
    '/pets/{petId}/toys',
    '/pets/{petId}/toys/{toyId}',
    '/files/{proxy+}',
    '/a/b/c',
    '/a/{x}/d',
    '/{proxy+}',
  ]);

  it('prefers a literal part to a {param} part', () => {
    expect(resourceOf(root, '/pets/mine')).toEqual({ resource: '/pets/mine', params: null });
    expect(resourceOf(root, '/pets/7')).toEqual({ resource: '/pets/{petId}', params: { petId: '7' } });
  });

  it('prefers a {param} part to a greedy {proxy+}', () => {
    expect(resourceOf(root, '/pets/7/toys/9')).toEqual({
      resource: '/pets/{petId}/toys/{toyId}',
      params: { petId: '7', toyId: '9' },
    });
  });

  it('backs up from a literal dead end to the {param} sibling', () => {
    // `/a/b` is literal, but `/a/b/d` only exists as `/a/{x}/d`.
    expect(resourceOf(root, '/a/b/d')).toEqual({ resource: '/a/{x}/d', params: { x: 'b' } });
    expect(resourceOf(root, '/a/b/c')).toEqual({ resource: '/a/b/c', params: null });
  });

  it('backs up to the root greedy resource when no deeper resource fits, dropping params of the dead end', () => {
    expect(resourceOf(root, '/pets/7/unknown/deep')).toEqual({
      resource: '/{proxy+}',
      params: { proxy: 'pets/7/unknown/deep' },
    });
  });

  it('lets {proxy+} take every remaining part, keeping inner double slashes and dropping one trailing slash', () => {
    expect(resourceOf(root, '/files/a/b/c.txt')).toEqual({
      resource: '/files/{proxy+}',
      params: { proxy: 'a/b/c.txt' },
    });
    expect(resourceOf(root, '/files/a//b/')).toEqual({
      resource: '/files/{proxy+}',
      params: { proxy: 'a//b' },
    });
  });

  it('never matches {proxy+} with nothing: the parent answers instead', () => {
    expect(resourceOf(root, '/files')).toEqual({ resource: '/files', params: null });
    expect(resourceOf(root, '/files/')).toEqual({ resource: '/files', params: null });
    expect(resourceOf(root, '/')).toEqual({ resource: '/', params: null });
  });

  it('keeps percent-escapes and "+" in parameter values as sent', () => {
    expect(resourceOf(root, '/pets/a%2Fb+c')).toEqual({
      resource: '/pets/{petId}',
      params: { petId: 'a%2Fb+c' },
    });
  });

  it('ignores a trailing slash and empty parts when matching', () => {
    expect(resourceOf(root, '/pets/7/')).toEqual({ resource: '/pets/{petId}', params: { petId: '7' } });
    expect(resourceOf(root, '/pets//7')).toEqual({ resource: '/pets/{petId}', params: { petId: '7' } });
  });

  it('returns the implicit parent resource of a declared child (it has no methods)', () => {
    const r = tree(['/x/y/z']);
    const match = matchRoute(r, '/x/y');
    expect(match?.node.path).toBe('/x/y');
    expect(match?.node.methods.size).toBe(0);
  });

  it('returns undefined when nothing matches and no greedy resource exists', () => {
    expect(matchRoute(tree(['/a']), '/b')).toBeUndefined();
    expect(matchRoute(tree(['/a']), '/a/b')).toBeUndefined();
  });

  it('is case-sensitive for literal parts, as API Gateway is', () => {
    expect(matchRoute(tree(['/Pets']), '/pets')).toBeUndefined();
    expect(matchRoute(tree(['/Pets']), '/Pets')?.node.path).toBe('/Pets');
  });
});

describe('matchRoute properties', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/);
  const literalPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`);

  it('a literal resource path always matches itself, with no path parameters', () => {
    fc.assert(
      fc.property(fc.array(literalPath, { minLength: 1, maxLength: 8 }), (paths) => {
        const root = tree(paths);
        for (const path of paths) {
          const match = matchRoute(root, path);
          expect(match?.node.path).toBe(path);
          expect(match?.pathParameters).toBeNull();
          expect(matchRoute(root, `${path}/`)?.node.path).toBe(path);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('{param} values are single path parts: never empty, never containing "/"', () => {
    const root = tree(['/{a}', '/{a}/{b}', '/{a}/{b}/x/{c}']);
    const rawPath = fc
      .array(fc.stringMatching(/^[^/?#]{0,6}$/), { maxLength: 6 })
      .map((s) => `/${s.join('/')}`);
    fc.assert(
      fc.property(rawPath, (path) => {
        const match = matchRoute(root, path);
        for (const value of Object.values(match?.pathParameters ?? {})) {
          expect(value).not.toBe('');
          expect(value).not.toContain('/');
          expect(path).toContain(value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a {proxy+} value is the rest of the path as sent, without leading or single trailing slash', () => {
    const root = tree(['/base/{proxy+}']);
    const rest = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(rest, fc.boolean(), (tail, slash) => {
        const match = matchRoute(root, `/base/${tail}${slash ? '/' : ''}`);
        expect(match?.node.path).toBe('/base/{proxy+}');
        expect(match?.pathParameters).toEqual({ proxy: tail });
      }),
    );
  });

  it('never throws on arbitrary strings', () => {
    const root = tree(['/', '/a/{b}', '/c/{proxy+}', '/{proxy+}']);
    fc.assert(
      fc.property(fc.string(), (path) => {
        const match = matchRoute(root, path);
        expect(match === undefined || typeof match.node.path === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

import { ConfigError } from '../../src/config/config-error.js';
import { addResource, createResourceNode, parseResourcePath } from '../../src/routing/resource-tree.js';

describe('parseResourcePath', () => {
  it('splits literal, {param} and {proxy+} parts', () => {
    expect(parseResourcePath('/')).toEqual([]);
    expect(parseResourcePath('/pets/{petId}/files/{proxy+}')).toEqual([
      { kind: 'literal', value: 'pets' },
      { kind: 'param', name: 'petId' },
      { kind: 'literal', value: 'files' },
      { kind: 'greedy', name: 'proxy' },
    ]);
  });

  it.each([
    ['pets', 'a resource path must start with "/"'],
    ['/pets//x', 'empty path part'],
    ['/{proxy+}/x', 'greedy path variable {proxy+} must be the last path part'],
    ['/{id}/{id}', 'path variable {id} is used twice'],
    ['/pe ts', 'invalid path part "pe ts"'],
    ['/{bad', 'invalid path part "{bad"'],
  ])('refuses %s with a ConfigError naming it', (path, message) => {
    expect(() => parseResourcePath(path)).toThrow(ConfigError);
    expect(() => parseResourcePath(path)).toThrow(`resources["${path}"]: ${message}`);
  });
});

describe('addResource', () => {
  it('creates implicit parents and reuses existing nodes', () => {
    const root = createResourceNode<string>('/');
    const leaf = addResource(root, '/a/{id}/b');
    expect(leaf.path).toBe('/a/{id}/b');
    expect(addResource(root, '/a/{id}/b/')).toBe(leaf);
    expect(root.literals.get('a')?.param?.node.path).toBe('/a/{id}');
  });

  it('refuses two differently named variables under one parent', () => {
    const root = createResourceNode<string>('/');
    addResource(root, '/items/{id}');
    expect(() => addResource(root, '/items/{name}')).toThrow(
      'resources["/items/{name}"]: {name} conflicts with sibling {id} under "/items"',
    );
    expect(() => addResource(root, '/items/{proxy+}')).toThrow(
      'resources["/items/{proxy+}"]: {proxy+} conflicts with sibling {id} under "/items"',
    );
  });

  it('refuses a {param} beside an existing {proxy+}', () => {
    const root = createResourceNode<string>('/');
    addResource(root, '/{proxy+}');
    expect(() => addResource(root, '/{id}')).toThrow('{id} conflicts with sibling {proxy+} under "/"');
  });
});

import { compileBinaryMediaTypes, firstAcceptType, mediaTypeOf } from '../../src/http/media-type.js';

describe('media types', () => {
  it('reads the media type without parameters, lower-cased', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf('')).toBeUndefined();
    expect(mediaTypeOf(undefined)).toBeUndefined();
  });

  it('takes only the first Accept type', () => {
    expect(firstAcceptType('image/webp,image/png,*/*;q=0.8')).toBe('image/webp');
    expect(firstAcceptType('image/png;q=0.9, */*')).toBe('image/png');
    expect(firstAcceptType(undefined)).toBeUndefined();
  });

  it.each([
    [['image/png'], 'image/png', true],
    [['image/png'], 'image/jpg', false],
    [['image/png'], 'image/*', false],
    [['image/png'], '*/*', false],
    [['application/*'], 'application/whatever', true],
    [['application/*'], 'application/*', true],
    [['application/*'], 'text/plain', false],
    [['*/test'], 'random/test', false],
    [['*/*'], 'text/plain', true],
    [['Image/PNG'], 'image/png', true],
    [[], 'image/png', false],
    [['*/*'], undefined, false],
  ] as [string[], string | undefined, boolean][])(
    'binaryMediaTypes %j: %s is binary: %s',
    (types, type, binary) => {
      expect(compileBinaryMediaTypes(types)(type)).toBe(binary);
    },
  );
});

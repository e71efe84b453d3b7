const isPlainMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !Object.keys(v).some((key) => key === 'Ref' || key.startsWith('Fn::'));

/**
 * A resource's properties over its `Globals` section, as SAM merges them: the resource's scalar
 * wins, maps merge key by key, lists concatenate (globals first). An intrinsic function counts as
 * a scalar. (SAM `samtranslator/plugins/globals/globals.py`, `_do_merge`)
 * @example mergeGlobals({ Timeout: 3, Environment: { Variables: { A: '1' } } }, { Timeout: 10 })
 */
export function mergeGlobals(
  globals: Record<string, unknown>,
  local: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...globals };
  for (const [key, value] of Object.entries(local)) {
    const global = merged[key];
    if (isPlainMap(global) && isPlainMap(value)) merged[key] = mergeGlobals(global, value);
    else if (Array.isArray(global) && Array.isArray(value)) merged[key] = [...global, ...value];
    else merged[key] = value;
  }
  return merged;
}

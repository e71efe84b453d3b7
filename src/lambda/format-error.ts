/**
 * The runtime's `Errors.toFormatted`: a tab, then the error as JSON with its name, message, `code`,
 * own properties and stack lines (errors nested in it likewise); one that cannot be serialised
 * (a cycle) as `{errorType, errorMessage, trace}`.
 */
export function toFormatted(error: unknown): string {
  const withProperties = (_key: string, value: unknown) => {
    if (!(value instanceof Error)) return value;
    const shown: Record<string, unknown> = {
      errorType: value.name,
      errorMessage: value.message,
      code: (value as { code?: unknown }).code,
      ...value,
    };
    if (typeof value.stack === 'string') shown.stack = value.stack.split('\n');
    return shown;
  };
  try {
    return `\t${JSON.stringify(error, withProperties)}`;
  } catch {
    // As the runtime falls back to its `toRapidResponse`.
    const e = error as Error;
    const trace = typeof e?.stack === 'string' ? e.stack.split('\n') : [];
    return `\t${JSON.stringify({ errorType: String(e?.name), errorMessage: String(e?.message), trace })}`;
  }
}

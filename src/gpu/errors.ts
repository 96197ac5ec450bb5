/** Turns the compiler's messages for one WGSL file into an Error naming the file, line and column. */
export function compileError(file: string, code: string, messages: readonly GPUCompilationMessage[]): Error | null {
  const errors = messages.filter((m) => m.type === 'error');
  if (errors.length === 0) return null;
  const lines = code.split('\n');
  const text = errors
    .map((m) => {
      const where = `${file}:${m.lineNum}:${m.linePos}`;
      const source = m.lineNum > 0 ? `\n    ${lines[m.lineNum - 1]?.trim() ?? ''}` : '';
      return `${where}: error: ${m.message}${source}`;
    })
    .join('\n');
  return new Error(`WGSL compile error in ${file}\n${text}`);
}

const SCOPES: GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];

/** Runs `fn` inside error scopes and rethrows any validation, out-of-memory or internal error, naming `what`. */
export async function withErrorScopes<T>(device: GPUDevice, what: string, fn: () => T | Promise<T>): Promise<T> {
  for (const filter of SCOPES) device.pushErrorScope(filter);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await fn() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // Every scope must be popped whatever happened. The function's own error is the more
  // specific one (a formatted compile error, a named pipeline error), so it wins.
  const popped = await Promise.all(SCOPES.map(() => device.popErrorScope()));
  if (!outcome.ok) throw outcome.error;
  const gpuError = popped.find((e) => e !== null);
  if (gpuError) throw new Error(`${what}: ${gpuError.message}`);
  return outcome.value;
}

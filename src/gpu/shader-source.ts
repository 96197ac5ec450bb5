/** Where WGSL comes from: `shaders/NAME.wgsl`, read from disk in Node and imported with `?raw` by Vite. */
export interface ShaderSource {
  /** The text of `shaders/${name}.wgsl` with its includes expanded; throws naming the file when there is none. */
  load(name: string): string;
}

/**
 * `// #include NAME` on a line of its own stands for the text of shaders/NAME.wgsl, once per shader
 * however often it is asked for (WGSL has no includes; shared functions live in files without entry points).
 */
const INCLUDE = /^\/\/ #include ([\w-]+)[ \t]*$/gm;

/** A ShaderSource over an in-memory table (used by both platforms and by tests). */
export function shaderTable(files: Record<string, string>): ShaderSource {
  const text = (name: string, includedBy?: string): string => {
    const code = files[name];
    if (code === undefined) {
      const where = includedBy ? `, included by shaders/${includedBy}.wgsl` : '';
      throw new Error(`No shader shaders/${name}.wgsl${where} (known: ${Object.keys(files).sort().join(', ')})`);
    }
    return code;
  };
  const expand = (name: string, chain: readonly string[], done: Set<string>): string =>
    text(name, chain.at(-1)).replace(INCLUDE, (_, included: string) => {
      if (included === name || chain.includes(included))
        throw new Error(`shaders/${name}.wgsl includes ${included}, which includes it back: ${[...chain, name, included].join(' → ')}`);
      if (done.has(included)) return '';
      done.add(included);
      return expand(included, [...chain, name], done);
    });
  return { load: (name) => expand(name, [], new Set()) };
}

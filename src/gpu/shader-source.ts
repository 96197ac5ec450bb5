/** Where WGSL comes from: `shaders/NAME.wgsl`, read from disk in Node and imported with `?raw` by Vite. */
export interface ShaderSource {
  /** The text of `shaders/${name}.wgsl`; throws naming the file when there is none. */
  load(name: string): string;
}

/** A ShaderSource over an in-memory table (used by both platforms and by tests). */
export function shaderTable(files: Record<string, string>): ShaderSource {
  return {
    load(name) {
      const code = files[name];
      if (code === undefined) throw new Error(`No shader shaders/${name}.wgsl (known: ${Object.keys(files).sort().join(', ')})`);
      return code;
    },
  };
}

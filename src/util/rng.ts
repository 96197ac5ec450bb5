/**
 * A seeded generator of uniforms in [0, 1) (mulberry32): small, fast, the same on every platform. Its
 * whole state is one 32-bit word, readable and settable, so a run can be resumed mid-stream.
 */
export class Mulberry32 {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next uniform (an arrow, so it can be handed on as a `() => number`). */
  readonly next = (): number => {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator of uniforms in [0, 1) (mulberry32). */
export function uniformRng(seed: number): () => number {
  return new Mulberry32(seed).next;
}

/** Standard normal samples from a uniform generator (Box–Muller; the second value is kept for the next call). */
export function normalRng(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u = 1 - uniform(); // (0, 1]: log(0) never happens
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

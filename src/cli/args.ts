/** `--name value` flags for a CLI command; unknown or malformed flags are refused, naming them. */
export class Args {
  private readonly values = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(
    readonly command: string,
    argv: string[],
  ) {
    for (let i = 0; i < argv.length; i++) {
      const flag = argv[i]!;
      if (!flag.startsWith('--')) throw new Error(`${command}: expected --flag, got "${flag}"`);
      const eq = flag.indexOf('=');
      if (eq > 0) {
        this.values.set(flag.slice(2, eq), flag.slice(eq + 1));
        continue;
      }
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) this.values.set(flag.slice(2), 'true');
      else {
        this.values.set(flag.slice(2), value);
        i++;
      }
    }
  }

  string(name: string, fallback?: string): string {
    this.used.add(name);
    const value = this.values.get(name) ?? fallback;
    if (value === undefined) throw new Error(`${this.command}: --${name} is required`);
    return value;
  }

  int(name: string, fallback: number, min = 0): number {
    const raw = this.string(name, String(fallback));
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${this.command}: --${name} must be an integer ≥ ${min}, got "${raw}"`);
    return value;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  flag(name: string): boolean {
    return this.string(name, 'false') === 'true';
  }

  list(name: string, fallback: string): string[] {
    return this.string(name, fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** Throws if a flag was given that the command never asked for (a typo, usually). */
  done(): void {
    const unknown = [...this.values.keys()].filter((k) => !this.used.has(k));
    if (unknown.length > 0) throw new Error(`${this.command}: unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `--${k}`).join(', ')}`);
  }
}

/**
 * Saves the latest of the values it is given: at most once per `intervalMs`, one save at a time, so a
 * series growing every few milliseconds costs one write a second. `flush` saves what is pending at once.
 * `save` must not reject: it reports its own failures.
 */
export class ThrottledSaver<T> {
  private pending: T | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastStarted = -Infinity;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: (value: T) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Saves `value` (replacing any not yet saved) within `intervalMs` of the last save's start. */
  request(value: T): void {
    this.pending = value;
    this.timer ??= setTimeout(() => void this.flush(), Math.max(0, this.lastStarted + this.intervalMs - Date.now()));
  }

  /** Saves the pending value now (after any save in flight); resolves once everything requested is saved. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const value = this.pending;
    this.pending = null;
    if (value !== null) {
      this.saving = this.saving.then(() => {
        this.lastStarted = Date.now();
        return this.save(value);
      });
    }
    return this.saving;
  }
}

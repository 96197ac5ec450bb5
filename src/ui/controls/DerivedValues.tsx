import { usePage } from '../use-page';

/** N = B·G and reuses = K·M/N, live from what the controls show, and a plain message when M does not divide N. */
export function DerivedValues() {
  const K = usePage((s) => s.draft.K);
  const B = usePage((s) => s.draft.B);
  const G = usePage((s) => s.draft.G);
  const M = usePage((s) => s.draft.M);
  const N = B * G;
  const reuses = (K * M) / N;
  // Only a sensible N gets the message; a bad B or G has its own.
  const misfit = Number.isInteger(N) && N >= 1 && !(Number.isInteger(M) && M >= 1 && N % M === 0);
  return (
    <div className="derived" data-testid="derived">
      <p>
        <span className="derived__term">N = B·G</span> = <output>{N}</output> trajectories per iteration
      </p>
      <p>
        <span className="derived__term">reuses = K·M/N</span> = <output>{Number.isFinite(reuses) ? round(reuses) : '—'}</output> inner steps per trajectory
      </p>
      {misfit && (
        <p className="derived__problem" role="status">
          M = {M} does not divide N = {N}. Choose one of {divisors(N).join(', ')}.
        </p>
      )}
    </div>
  );
}

function round(x: number): string {
  return String(Number(x.toFixed(3)));
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

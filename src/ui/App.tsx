import { AdapterStatus } from './AdapterStatus';
import { SavedRunsPanel } from './persistence/SavedRunsPanel';
import { SetupPanel } from './SetupPanel';
import { TrainingPanel } from './training/TrainingPanel';

export function App() {
  return (
    <main className="app">
      <header>
        <h1>GRPO Lab</h1>
        <p className="tagline">Watch GRPO, TIC-GRPO and their ablations train a small GPT on your own GPU, with hand-written WGSL kernels.</p>
      </header>
      <AdapterStatus />
      <SetupPanel />
      <TrainingPanel />
      <SavedRunsPanel />
    </main>
  );
}

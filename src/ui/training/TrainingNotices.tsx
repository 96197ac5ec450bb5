import { useTraining } from './use-training';

/** What stopped the whole experiment (no WebGPU, a lost device), and what the worker wants known (e.g. no base model yet). */
export function TrainingNotices() {
  const failure = useTraining((s) => s.failure);
  const notices = useTraining((s) => s.notices);
  return (
    <>
      {failure && (
        <div className="training__failure" role="alert" data-testid="training-failure">
          {failure}
        </div>
      )}
      {notices.length > 0 && (
        <ul className="notices training__notices" data-testid="training-notices">
          {notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
    </>
  );
}

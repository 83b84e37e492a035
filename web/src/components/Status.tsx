import type { CombinedError } from 'urql';
import { describeError } from '../errors.ts';

/** Placeholder lines of the content's shape, so nothing moves when the data arrives. */
export function Loading({ label, lines = 6 }: { label: string; lines?: number }) {
  return (
    <div className="skeleton" role="status" aria-live="polite" aria-busy="true">
      <span className="visually-hidden">{label}…</span>
      <div className="sk sk-title" />
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="sk sk-line" />
      ))}
    </div>
  );
}

export function ErrorMessage({ error, retry }: { error: CombinedError; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      <p>{describeError(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

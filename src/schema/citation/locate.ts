/**
 * Where an excerpt sits in a source's text: the offsets every citation stores, so that
 * `text.slice(start, end) === excerpt` holds for every cited fact. The seed and the write API
 * both locate excerpts here.
 */

/** The excerpt (or its n-th occurrence) is not in the text. */
export class ExcerptNotFoundError extends Error {
  override name = 'ExcerptNotFoundError';
}

export interface ExcerptSpec {
  excerpt: string;
  /** Which occurrence (0 = first) when the excerpt occurs more than once. */
  occurrence?: number | undefined;
}

/** Locate an excerpt; offsets are UTF-16 code units, half-open, as JavaScript strings index. */
export function locate(text: string, spec: ExcerptSpec): { start: number; end: number } {
  let from = 0;
  let start = -1;
  for (let n = 0; n <= (spec.occurrence ?? 0); n++) {
    start = text.indexOf(spec.excerpt, from);
    if (start < 0) {
      throw new ExcerptNotFoundError(`Excerpt not found in the article (occurrence ${spec.occurrence ?? 0}): "${spec.excerpt}"`);
    }
    from = start + 1;
  }
  return { start, end: start + spec.excerpt.length };
}

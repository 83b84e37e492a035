import { useState } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from '../errors.ts';

/** A page of a connection, as far as paging it needs. */
interface Page {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** What fetching the page after a cursor gave: the page, or why there is none. */
export interface NextPage<P> {
  page: P | null | undefined;
  error?: CombinedError;
}

/**
 * The pages of a connection after its first, fetched one at a time by cursor when asked ("More"):
 * the first page comes with the page's own query, so a page view is still one request.
 * `gone` is the message when the next page's owner no longer exists.
 */
export function useMorePages<P extends Page>(first: P | null, fetchAfter: (after: string) => Promise<NextPage<P>>, gone: string) {
  const [more, setMore] = useState<P[]>([]);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const last = more.at(-1) ?? first;
  const loadMore = async () => {
    const after = last?.pageInfo.endCursor;
    if (!after) return;
    setLoading(true);
    setFailure(null);
    const { page, error } = await fetchAfter(after);
    setLoading(false);
    if (error || !page) {
      setFailure(error ? describeError(error) : gone);
      return;
    }
    setMore((pages) => [...pages, page]);
  };
  return { pages: first ? [first, ...more] : [], hasMore: Boolean(last?.pageInfo.hasNextPage), loading, failure, loadMore };
}

/** The "More …" button under a paged list, with how many of the total are shown and a failure, if any. */
export function MoreButton({ paging, shown, total, noun }: { paging: ReturnType<typeof useMorePages>; shown: number; total: number; noun: string }) {
  return (
    <>
      {paging.hasMore && (
        <p className="more">
          <span className="muted" role="status">
            {shown} of {total} {noun}.
          </span>{' '}
          <button type="button" onClick={() => void paging.loadMore()} disabled={paging.loading}>
            {paging.loading ? 'Loading…' : `More ${noun}`}
          </button>
        </p>
      )}
      {paging.failure && (
        <p role="alert" className="error">
          {paging.failure}
        </p>
      )}
    </>
  );
}

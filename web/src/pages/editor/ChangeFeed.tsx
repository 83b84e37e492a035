import { useEffect, useState } from 'react';
import { documentId } from '../../client.ts';
import { graphql } from '../../gql';

const EditorFeedSubscription = graphql(`
  subscription EditorFeed {
    changes {
      cursor
      revision {
        id
        action
        entityType
        createdAt
        changes {
          field
        }
        changeSet {
          id
          actor
        }
      }
    }
  }
`);

interface FeedEvent {
  cursor: string;
  revision: { id: string; action: string; entityType: string; createdAt: string; changes: { field: string }[]; changeSet: { actor: string | null } };
}

/** The URL of the change feed as server-sent events: the persisted id in production, the text in development. */
async function feedUrl(): Promise<string> {
  const params = new URLSearchParams({ operationName: 'EditorFeed' });
  if (import.meta.env.PROD) {
    params.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: documentId(EditorFeedSubscription) } }));
  } else {
    const { print } = await import('graphql');
    params.set('query', print(EditorFeedSubscription));
  }
  return `/graphql?${params.toString()}`;
}

/**
 * The change feed, live: the `changes` subscription over server-sent events (an EventSource,
 * which reconnects by itself and resumes from the last event's id, the feed cursor).
 */
export function ChangeFeed() {
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  useEffect(() => {
    let source: EventSource | undefined;
    let closed = false;
    void feedUrl().then((url) => {
      if (closed) return;
      source = new EventSource(url);
      source.onopen = () => setState('live');
      source.onerror = () => setState('reconnecting');
      source.addEventListener('next', (message) => {
        const event = (JSON.parse((message as MessageEvent<string>).data) as { data?: { changes?: FeedEvent } }).data?.changes;
        if (event) setEvents((list) => [event, ...list].slice(0, 20));
      });
      source.addEventListener('complete', () => source?.close());
    });
    return () => {
      closed = true;
      source?.close();
    };
  }, []);
  return (
    <section aria-labelledby="feed" className="panel feed">
      <h2 id="feed">Change feed</h2>
      <p className="muted" role="status">
        {state === 'live' ? 'Live: changes appear as they are committed.' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
      </p>
      {events.length === 0 ? (
        <p className="muted">No change since this page opened.</p>
      ) : (
        <ol className="feed-events" aria-label="Latest changes">
          {events.map(({ cursor, revision }) => (
            <li key={cursor}>
              <strong>{revision.action.toLowerCase()}</strong> {revision.entityType.toLowerCase().replace(/_/g, ' ')}
              {revision.changes.length > 0 && <> · {revision.changes.map((c) => c.field).join(', ')}</>}
              <span className="muted">
                {' '}
                · {revision.changeSet.actor ?? 'someone'} · {new Date(revision.createdAt).toLocaleTimeString()}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

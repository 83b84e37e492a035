import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../../components/Status.tsx';
import { citationHref } from '../../components/Cite.tsx';
import { describeError, messageForCode } from '../../errors.ts';
import { graphql } from '../../gql';
import { withKey } from '../../key.ts';

const ConflictsQuery = graphql(`
  query EditorConflicts {
    conflicts(first: 50) {
      totalCount
      nodes {
        id
        version
        status
        field
        entityType
        currentValue
        incomingValue
        entity {
          id
          ... on Film {
            slug
            title
          }
          ... on Person {
            slug
            name
          }
        }
        incoming {
          file
          key
          source {
            slug
            title
          }
        }
        currentCitations {
          id
          source {
            slug
          }
        }
      }
    }
  }
`);

const ResolveMutation = graphql(`
  mutation EditorResolveConflict($input: ResolveConflictInput!) {
    resolveConflict(input: $input) {
      conflict {
        id
        status
        version
        resolvedBy
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const show = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** Open conflicts raised by imports (an imported value against one another source backs): keep the current value or take the incoming one. */
export function Conflicts({ writeKeyValue }: { writeKeyValue: string }) {
  const context = useMemo(() => ({ ...withKey(writeKeyValue), additionalTypenames: ['Conflict'] }), [writeKeyValue]);
  const [{ data, error }, refetch] = useQuery({ query: ConflictsQuery, context, requestPolicy: 'cache-and-network' });
  const [{ fetching }, resolve] = useMutation(ResolveMutation);
  const [outcome, setOutcome] = useState<Record<string, string>>({});
  const decide = (id: string, version: number, resolution: 'KEEP_CURRENT' | 'ACCEPT_INCOMING') => {
    void resolve({ input: { id, version, resolution } }, withKey(writeKeyValue)).then((result) => {
      const userError = result.data?.resolveConflict.userErrors[0];
      const text = result.error
        ? describeError(result.error)
        : userError
          ? messageForCode(userError.code, userError.message)
          : resolution === 'KEEP_CURRENT'
            ? 'Kept the current value.'
            : 'Took the incoming value.';
      setOutcome((o) => ({ ...o, [id]: text }));
      if (!result.error && !userError) refetch({ requestPolicy: 'network-only' });
    });
  };
  const conflicts = data?.conflicts.nodes ?? [];
  return (
    <section aria-labelledby="conflicts" className="panel conflicts">
      <h2 id="conflicts">Conflicts from imports</h2>
      {error && <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {data && conflicts.length === 0 && <p className="muted">No open conflict.</p>}
      {Object.entries(outcome).map(([id, text]) =>
        conflicts.some((c) => c.id === id) ? null : (
          <p key={id} role="status">
            {text}
          </p>
        ),
      )}
      <ul>
        {conflicts.map((c) => {
          const entity = c.entity;
          const name = entity && 'title' in entity ? entity.title : entity && 'name' in entity ? entity.name : c.entityType.toLowerCase();
          const href = entity && 'title' in entity ? `/film/${entity.slug}` : entity && 'name' in entity ? `/person/${entity.slug}` : undefined;
          return (
            <li key={c.id} className="conflict">
              <p>
                {href ? <Link href={href}>{name}</Link> : name}: <code>{c.field}</code>
              </p>
              <dl>
                <dt>Current</dt>
                <dd>
                  {show(c.currentValue)}{' '}
                  {c.currentCitations[0] && (
                    <Link href={citationHref(c.currentCitations[0])} className="muted">
                      (source)
                    </Link>
                  )}
                </dd>
                <dt>Incoming</dt>
                <dd>
                  {show(c.incomingValue)}{' '}
                  <span className="muted">
                    ({c.incoming.source.title ?? c.incoming.source.slug}, record {c.incoming.key} of {c.incoming.file})
                  </span>
                </dd>
              </dl>
              <button type="button" disabled={fetching} onClick={() => decide(c.id, c.version, 'KEEP_CURRENT')}>
                Keep current
              </button>{' '}
              <button type="button" disabled={fetching} onClick={() => decide(c.id, c.version, 'ACCEPT_INCOMING')}>
                Take incoming
              </button>
              {outcome[c.id] && (
                <p role="alert" className="error">
                  {outcome[c.id]}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useMutation, useQuery } from 'urql';
import { Highlighted } from '../components/Highlighted.tsx';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { describeError, messageForCode } from '../errors.ts';
import { graphql } from '../gql';
import { withKey, writeKey } from '../key.ts';
import { ChangeFeed } from './editor/ChangeFeed.tsx';
import { Conflicts } from './editor/Conflicts.tsx';

const IngestMutation = graphql(`
  mutation EditorIngest($input: IngestSourceInput!) {
    ingestSource(input: $input) {
      deduplicated
      proposalCount
      source {
        id
        slug
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const RejectMutation = graphql(`
  mutation EditorReject($input: RejectProposalInput!) {
    rejectProposal(input: $input) {
      proposal {
        id
        status
        version
        rejectReason
      }
      userErrors {
        code
        message
        currentVersion
      }
    }
  }
`);

const AcceptMutation = graphql(`
  mutation EditorAccept($input: AcceptProposalInput!) {
    acceptProposal(input: $input) {
      accepted {
        id
        status
        version
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const AcceptManyMutation = graphql(`
  mutation EditorAcceptMany($input: AcceptProposalsInput!) {
    acceptProposals(input: $input) {
      acceptedCount
      failedCount
      outcomes {
        accepted
        proposal {
          id
          status
          version
        }
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const EditorSourceQuery = graphql(`
  query EditorSource($slug: String!) {
    source(slug: $slug) {
      id
      slug
      title
      text
      proposals(first: 100) {
        totalCount
        nodes {
          id
          kind
          status
          support
          confidence
          reason
          values
          version
          rejectReason
          excerpt {
            start
            end
            text
          }
        }
      }
    }
  }
`);

const EditorQueueQuery = graphql(`
  query EditorQueue {
    proposals(status: PENDING, first: 100) {
      totalCount
      nodes {
        id
        kind
        source {
          id
          slug
          title
        }
      }
    }
  }
`);

export function EditorPage() {
  const [key, setKey] = useState(writeKey.get);
  const source = new URLSearchParams(useSearch()).get('source');
  useEffect(() => {
    document.title = 'Editor desk · Cinegraph';
  }, []);
  if (!key) return <KeyForm onKey={(k) => (writeKey.set(k), setKey(k))} />;
  return (
    <section className="page editor">
      <h1>Editor desk</h1>
      <p className="muted">
        Signed in with a write key for this tab.{' '}
        <button type="button" className="link" onClick={() => (writeKey.clear(), setKey(null))}>
          Forget the key
        </button>
      </p>
      {source ? <Proposals slug={source} writeKeyValue={key} /> : <Desk writeKeyValue={key} />}
    </section>
  );
}

function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <section className="page editor">
      <h1>Editor desk</h1>
      <form
        className="key-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onKey(value.trim());
        }}
      >
        <label htmlFor="key">Write key</label>
        <p id="key-help" className="muted">
          An API key with the <code>write</code> scope (<code>npm run keys -- create --scopes write</code>). It is kept in this tab only.
        </p>
        <input id="key" type="password" autoComplete="off" aria-describedby="key-help" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">Use this key</button>
      </form>
    </section>
  );
}

function Desk({ writeKeyValue }: { writeKeyValue: string }) {
  const [, navigate] = useLocation();
  const [{ fetching, error }, ingest] = useMutation(IngestMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [queue] = useQuery({ query: EditorQueueQuery, requestPolicy: 'cache-and-network' });
  const bySource = new Map<string, { slug: string; title: string | null; count: number }>();
  for (const p of queue.data?.proposals.nodes ?? []) {
    const entry = bySource.get(p.source.id) ?? { slug: p.source.slug, title: p.source.title, count: 0 };
    entry.count += 1;
    bySource.set(p.source.id, entry);
  }
  return (
    <div className="desk">
      <form
        className="ingest"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const field = (name: string) => {
            const value = form.get(name);
            return typeof value === 'string' ? value : '';
          };
          const text = field('text');
          const title = field('title').trim();
          setProblem(null);
          void ingest({ input: { text, ...(title ? { title } : {}) } }, withKey(writeKeyValue)).then((result) => {
            const payload = result.data?.ingestSource;
            if (!payload) return;
            if (payload.userErrors[0])
              setProblem(messageForCode(payload.userErrors[0].code, payload.userErrors[0].message) + ` (${payload.userErrors[0].message})`);
            else if (payload.source) navigate(`/editor?source=${encodeURIComponent(payload.source.slug)}`);
          });
        }}
      >
        <h2>Ingest an article</h2>
        <label htmlFor="title">Title</label>
        <input id="title" name="title" type="text" />
        <label htmlFor="text">Article text</label>
        <textarea id="text" name="text" rows={10} required />
        <label htmlFor="file">Or upload a text file</label>
        <input
          id="file"
          type="file"
          accept="text/plain,.txt,.md"
          onChange={(e) => {
            const file = e.target.files?.[0];
            const area = document.getElementById('text') as HTMLTextAreaElement | null;
            if (file && area) void file.text().then((t) => (area.value = t));
          }}
        />
        <button type="submit" disabled={fetching}>
          {fetching ? 'Proposing facts…' : 'Propose facts'}
        </button>
        {error && <ErrorMessage error={error} />}
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
      </form>
      <section aria-labelledby="queue" className="panel">
        <h2 id="queue">Pending proposals</h2>
        {queue.error && <ErrorMessage error={queue.error} />}
        {queue.data && bySource.size === 0 && <p className="muted">Nothing to review.</p>}
        <ul>
          {[...bySource].map(([id, s]) => (
            <li key={id}>
              <Link href={`/editor?source=${encodeURIComponent(s.slug)}`}>{s.title ?? s.slug}</Link> <span className="muted">({s.count})</span>
            </li>
          ))}
        </ul>
      </section>
      <Conflicts writeKeyValue={writeKeyValue} />
      <ChangeFeed />
    </div>
  );
}

function summary(kind: string, values: unknown): string {
  const v = (values ?? {}) as Record<string, unknown>;
  const parts = Object.entries(v)
    .filter(([name, value]) => value !== null && typeof value !== 'object' && !/resolution/i.test(name))
    .map(([name, value]) => `${name}: ${String(value)}`);
  return `${kind.replace(/_/g, ' ').toLowerCase()}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}

function Proposals({ slug, writeKeyValue }: { slug: string; writeKeyValue: string }) {
  const context = useMemo(() => ({ ...withKey(writeKeyValue), additionalTypenames: ['Proposal'] }), [writeKeyValue]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: EditorSourceQuery, variables: { slug }, context });
  const [selected, setSelected] = useState<string | null>(null);
  if (error && !data) return <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !data) return <Loading label="Loading the proposals" lines={12} />;
  const source = data?.source;
  if (!source) return <p>No source “{slug}”.</p>;
  const proposals = source.proposals.nodes;
  const pending = proposals.filter((p) => p.status === 'PENDING').length;
  return (
    <div className="review-desk">
      <p>
        <Link href="/editor">← All pending proposals</Link> · <Link href={`/source/${source.slug}`}>Source page</Link>
      </p>
      <h2>{source.title ?? source.slug}</h2>
      <p className="muted" role="status">
        {proposals.length} proposals, {pending} pending
      </p>
      <BulkAccept sourceId={source.id} pending={pending} writeKeyValue={writeKeyValue} onDone={() => refetch({ requestPolicy: 'network-only' })} />
      <div className="source-grid">
        <Highlighted
          text={source.text}
          spans={proposals.map((p) => ({ id: p.id, start: p.excerpt.start, end: p.excerpt.end }))}
          selected={selected}
          renderMark={(piece, covering, isSelected, ref, key) => (
            <mark key={key} ref={ref} className={isSelected ? 'selected' : undefined} data-proposals={covering.map((c) => c.id).join(' ')}>
              {piece}
            </mark>
          )}
        />
        <ol className="proposals" aria-label="Proposals">
          {proposals.map((p) => (
            <ProposalItem key={p.id} proposal={p} selected={selected === p.id} onSelect={() => setSelected(p.id)} writeKeyValue={writeKeyValue} />
          ))}
        </ol>
      </div>
    </div>
  );
}

/** Accept every pending proposal at or above a confidence, with what each depends on (acceptProposals). */
function BulkAccept({ sourceId, pending, writeKeyValue, onDone }: { sourceId: string; pending: number; writeKeyValue: string; onDone: () => void }) {
  const [threshold, setThreshold] = useState(90);
  const [message, setMessage] = useState<string | null>(null);
  const [{ fetching }, acceptMany] = useMutation(AcceptManyMutation);
  return (
    <form
      className="bulk"
      onSubmit={(e) => {
        e.preventDefault();
        setMessage(null);
        void acceptMany({ input: { sourceId, minConfidence: threshold / 100, withDependencies: true } }, withKey(writeKeyValue)).then((result) => {
          const payload = result.data?.acceptProposals;
          if (result.error) setMessage(describeError(result.error));
          else if (payload?.userErrors[0]) setMessage(messageForCode(payload.userErrors[0].code, payload.userErrors[0].message));
          else if (payload) setMessage(`Accepted ${payload.acceptedCount}${payload.failedCount ? `, ${payload.failedCount} could not be` : ''}.`);
          onDone();
        });
      }}
    >
      <label htmlFor="threshold">Accept every pending proposal with confidence of at least</label>{' '}
      <input id="threshold" type="number" min={0} max={100} step={5} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} /> %{' '}
      <button type="submit" disabled={fetching || pending === 0}>
        Accept all
      </button>
      {message && (
        <>
          {' '}
          <span role="status">{message}</span>
        </>
      )}
    </form>
  );
}

/** The proposal's plain values (what an editor may change before accepting), by name. */
function editableValues(values: unknown): [string, string | number | boolean][] {
  return Object.entries((values ?? {}) as Record<string, unknown>).filter(
    (entry): entry is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof entry[1]) && !/resolution/i.test(entry[0]),
  );
}

type ProposalData = {
  id: string;
  kind: string;
  status: string;
  support: string;
  confidence: number;
  reason: string;
  values: unknown;
  version: number;
  rejectReason?: string | null;
  excerpt: { text: string };
};

function ProposalItem({
  proposal: p,
  selected,
  onSelect,
  writeKeyValue,
}: {
  proposal: ProposalData;
  selected: boolean;
  onSelect: () => void;
  writeKeyValue: string;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, reject] = useMutation(RejectMutation);
  const [{ fetching: accepting }, accept] = useMutation(AcceptMutation);
  const [editing, setEditing] = useState<Record<string, string> | null>(null);
  const acceptWith = (edits?: Record<string, unknown>) => {
    setProblem(null);
    // withDependencies: a credit's film and person are accepted with it when still pending.
    void accept({ input: { id: p.id, version: p.version, withDependencies: true, ...(edits ? { edits } : {}) } }, withKey(writeKeyValue)).then((result) => {
      if (result.error) setProblem(describeError(result.error));
      const userError = result.data?.acceptProposal.userErrors[0];
      if (userError) setProblem(messageForCode(userError.code, userError.message));
      else if (!result.error) setEditing(null);
    });
  };
  return (
    <li className={`proposal ${selected ? 'selected' : ''} ${p.status.toLowerCase()}`}>
      <button type="button" className="link proposal-title" aria-pressed={selected} onClick={onSelect}>
        {summary(p.kind, p.values)}
      </button>
      <p className="muted">
        <span className={`badge ${p.support.toLowerCase()}`}>{p.support}</span> {Math.round(p.confidence * 100)}% · {p.reason}
      </p>
      <blockquote className="excerpt">{p.excerpt.text}</blockquote>
      {p.status === 'PENDING' && editing && (
        <form
          className="edit"
          aria-label="Edit before accepting"
          onSubmit={(e) => {
            e.preventDefault();
            const original = Object.fromEntries(editableValues(p.values));
            const edits: Record<string, unknown> = {};
            for (const [name, text] of Object.entries(editing)) {
              const before = original[name];
              const value = typeof before === 'number' ? Number(text) : typeof before === 'boolean' ? text === 'true' : text;
              if (value !== before) edits[name] = value;
            }
            acceptWith(Object.keys(edits).length > 0 ? edits : undefined);
          }}
        >
          {Object.entries(editing).map(([name, value]) => (
            <p key={name}>
              <label htmlFor={`edit-${p.id}-${name}`}>{name}</label>{' '}
              <input id={`edit-${p.id}-${name}`} value={value} onChange={(e) => setEditing({ ...editing, [name]: e.target.value })} />
            </p>
          ))}
          <button type="submit" disabled={accepting}>
            Accept as edited
          </button>
        </form>
      )}
      {p.status === 'PENDING' ? (
        <form
          className="reject"
          onSubmit={(e) => {
            e.preventDefault();
            setProblem(null);
            void reject({ input: { id: p.id, version: p.version, reason: reason.trim() || 'Not stated by the article.' } }, withKey(writeKeyValue)).then(
              (result) => {
                if (result.error) setProblem(describeError(result.error));
                const userError = result.data?.rejectProposal.userErrors[0];
                if (userError) setProblem(messageForCode(userError.code, userError.message));
              },
            );
          }}
        >
          <label htmlFor={`reason-${p.id}`} className="visually-hidden">
            Reason for rejecting
          </label>
          <input id={`reason-${p.id}`} placeholder="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={fetching || accepting}>
            Reject
          </button>
          <button type="button" disabled={fetching || accepting} onClick={() => acceptWith()}>
            Accept
          </button>
          <button
            type="button"
            disabled={fetching || accepting}
            aria-expanded={editing !== null}
            onClick={() => setEditing(editing ? null : Object.fromEntries(editableValues(p.values).map(([k, v]) => [k, String(v)])))}
          >
            Edit
          </button>
        </form>
      ) : (
        <p className="status">{p.status === 'REJECTED' ? `Rejected: ${p.rejectReason ?? ''}` : p.status.charAt(0) + p.status.slice(1).toLowerCase()}</p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}

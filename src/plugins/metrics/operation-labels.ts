import { Kind, parse } from 'graphql';
import type { TrustedDocuments } from '../trusted-documents.ts';

/** The label every operation name past the cap (or outside the trusted documents) counts under. */
export const OTHER_OPERATION = 'other';

// What GraphQL allows as a name, and no longer than a dashboard can show.
const NAME = /^[_A-Za-z]\w{0,99}$/;
// The two spellings of "no name" in use: ours and the Prometheus plugin's.
const ANONYMOUS = new Set(['anonymous', 'Anonymous']);

/**
 * Operation names as Prometheus label values, bounded. Each distinct label value is a series kept
 * for the life of the process and written on every scrape, and the name is the client's choice:
 * 3,000 requests with distinct names took /metrics from 43 KB to 60 MB. So only names the server
 * can bound get a label: with trusted documents the operation names in the manifest; otherwise
 * the first `max` distinct names seen. Anything else is "other".
 */
export class OperationLabels {
  readonly #max: number;
  readonly #trusted: ReadonlySet<string> | undefined;
  readonly #seen = new Set<string>();

  constructor(options: { max: number; trusted?: ReadonlySet<string> | undefined }) {
    this.#max = options.max;
    this.#trusted = options.trusted;
  }

  label(name: unknown): string {
    if (typeof name !== 'string' || !NAME.test(name)) return OTHER_OPERATION;
    if (ANONYMOUS.has(name)) return name;
    if (this.#trusted) return this.#trusted.has(name) ? name : OTHER_OPERATION;
    if (this.#seen.has(name)) return name;
    if (this.#seen.size >= this.#max) return OTHER_OPERATION;
    this.#seen.add(name);
    return name;
  }
}

/** The names of the operations in a trusted-documents manifest (documents that do not parse name none). */
export function operationNames(documents: TrustedDocuments): Set<string> {
  const names = new Set<string>();
  for (const source of documents.values()) {
    try {
      for (const definition of parse(source, { noLocation: true }).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
      }
    } catch {
      // Refused at request time like any unparsable document; it has no name to label.
    }
  }
  return names;
}

/**
 * Characters PostgreSQL `text` cannot hold, found in client strings: NUL (U+0000), which
 * PostgreSQL refuses (SQLSTATE 22021, a 500 and an error-level log line per request), and
 * unpaired UTF-16 surrogates, which are not Unicode text at all and which the driver would
 * silently store as U+FFFD. With the `u` flag a surrogate pair is one code point, so `\p{Cs}`
 * matches only the unpaired ones.
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** Why `value` cannot be stored as text, or undefined when it can. */
export function unstorableText(value: string): string | undefined {
  const found = UNSTORABLE.exec(value);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'a NUL character (U+0000)' : `an unpaired UTF-16 surrogate (U+${found[0].charCodeAt(0).toString(16).toUpperCase()})`;
}

const KEY = 'cinegraph.writeKey';

/** The editor's write key, kept for this tab only (sessionStorage): entered once, gone when the tab closes. */
export const writeKey = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key.trim()),
  clear: () => sessionStorage.removeItem(KEY),
};

/** The request context that sends the key with one operation (never with public reads, which stay cacheable). */
export function withKey(key: string) {
  return { fetchOptions: { headers: { authorization: `Bearer ${key}` } } };
}

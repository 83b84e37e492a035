import { pino } from 'pino';
import { createRateLimitStore, ipClientIdentifier } from '../../src/plugins/rate-limit.ts';

// The rate limit's rules on their own, without a server or a database: who a request is charged
// to, and the in-memory budget. Through HTTP, and shared through Redis: rate-limit.test.ts.

describe('the client identity', () => {
  const socket = (remoteAddress: string) => ({ req: { socket: { remoteAddress } } });
  const request = (xff?: string) => new Request('http://x/graphql', { headers: xff ? { 'x-forwarded-for': xff } : {} });

  test.each([
    ['the socket address without TRUST_PROXY, whatever X-Forwarded-For says', 0, '1.1.1.1', '10.0.0.1', 'ip:10.0.0.1'],
    ['an IPv4-mapped IPv6 socket address as IPv4', 0, undefined, '::ffff:127.0.0.1', 'ip:127.0.0.1'],
    ['the address one proxy appended, with TRUST_PROXY=1', 1, '6.6.6.6, 1.1.1.1', '10.0.0.1', 'ip:1.1.1.1'],
    ['the address two proxies back, with TRUST_PROXY=2', 2, '6.6.6.6, 1.1.1.1, 10.0.0.2', '10.0.0.1', 'ip:1.1.1.1'],
    ['the socket address when the forwarded entry is not an IP', 1, 'bogus', '10.0.0.1', 'ip:10.0.0.1'],
    ['the socket address when no header was sent', 1, undefined, '10.0.0.1', 'ip:10.0.0.1'],
    ['the first forwarded address when fewer hops were forwarded than TRUST_PROXY says', 5, '1.1.1.1', '10.0.0.1', 'ip:1.1.1.1'],
    ['an IPv4-mapped forwarded address as IPv4', 1, '::ffff:1.1.1.1', '10.0.0.1', 'ip:1.1.1.1'],
    ['an IPv6 forwarded address as written', 1, '2001:db8::1', '10.0.0.1', 'ip:2001:db8::1'],
    ['the socket address when the header holds only commas and spaces', 1, ' , ,', '10.0.0.1', 'ip:10.0.0.1'],
    ['an IPv6 address starting ::ffff: that is not a mapped IPv4 as written', 0, undefined, '::ffff:1:2', 'ip:::ffff:1:2'],
    ['an IPv6 address with an embedded IPv4 (not ::ffff:) as written', 0, undefined, 'abcd::11.2.3.4', 'ip:abcd::11.2.3.4'],
    ['the address two proxies back, skipping empty entries', 2, '1.1.1.1,,2.2.2.2', '10.0.0.1', 'ip:1.1.1.1'],
  ] as const)('is %s', (_name, trustProxy, xff, remote, expected) => {
    expect(ipClientIdentifier(trustProxy)(request(xff), socket(remote))).toBe(expected);
  });

  test('is "unknown" without a socket address and without a trusted header', () => {
    expect(ipClientIdentifier(0)(request('1.1.1.1'), undefined)).toBe('ip:unknown');
    expect(ipClientIdentifier(1)(request(), {})).toBe('ip:unknown');
    expect(ipClientIdentifier(0)(request(), { req: {} })).toBe('ip:unknown');
    expect(ipClientIdentifier(1)(request('1.1.1.1'), undefined)).toBe('ip:1.1.1.1');
  });

  test('counts the trusted hops from the peer even when the peer address is unknown, so the client cannot pick its own entry', () => {
    // One proxy: it appended 1.1.1.1; 6.6.6.6 is what the client wrote. Without the peer's place
    // in the chain, the count would land on 6.6.6.6.
    expect(ipClientIdentifier(1)(request('6.6.6.6, 1.1.1.1'), undefined)).toBe('ip:1.1.1.1');
    expect(ipClientIdentifier(2)(request('6.6.6.6, 1.1.1.1, 10.0.0.2'), { req: { socket: {} } })).toBe('ip:1.1.1.1');
  });
});

describe('the memory store', () => {
  test('charges whole points (a fraction rounds up, a negative cost is free) and reports what is left', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const store = createRateLimitStore({ points: 10, windowSeconds: 30, keyPrefix: 'unit', logger });
    expect(store).toMatchObject({ points: 10, windowSeconds: 30, backend: 'memory' });
    expect(await store.ready()).toBe(true);
    const first = await store.charge('a', 2.1);
    expect(first).toEqual({ limit: 10, remaining: 7, resetMs: expect.any(Number), windowSeconds: 30, allowed: true });
    expect(first.resetMs).toBeGreaterThan(29_000);
    expect(first.resetMs).toBeLessThanOrEqual(30_000);
    expect(await store.charge('a', -4)).toMatchObject({ remaining: 7, allowed: true });
    expect(await store.charge('a', 7)).toMatchObject({ remaining: 0, allowed: true });
    // Over budget: refused, and "remaining" never goes below 0.
    expect(await store.charge('a', 1)).toMatchObject({ remaining: 0, allowed: false });
    // Each client has its own budget.
    expect(await store.charge('b', 1)).toMatchObject({ remaining: 9, allowed: true });
    await store.close();
    // Without Redis there is nothing to warn about.
    expect(lines).toEqual([]);
  });

  test('with Redis unreachable it warns at once, naming the error, then at most once per 30 s however often it is asked', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const warnings = () => lines.map((line) => JSON.parse(line) as { msg: string; err?: { message?: string } });
    // The store reads the time through Date.now: a clock of the test's, moved by hand.
    const realNow = Date.now;
    let clock = realNow();
    Date.now = () => clock;
    const store = createRateLimitStore({ points: 5, windowSeconds: 60, keyPrefix: 'unit-down', redisUrl: 'redis://127.0.0.1:1', logger });
    try {
      expect(store.backend).toBe('redis');
      expect(await store.ready(300)).toBe(false);
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]!.err?.message).toMatch(/ECONNREFUSED/);
      // Charges still work (the per-process budget) and the refused reconnects keep failing: silent until 30 s have passed…
      clock += 29_999;
      expect(await store.charge('a', 1)).toMatchObject({ allowed: true, remaining: 4 });
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(warnings()).toHaveLength(1);
      // …then one more warning.
      clock += 1;
      expect(await store.charge('a', 1)).toMatchObject({ allowed: true, remaining: 3 });
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(warnings()).toHaveLength(2);
      expect(warnings()[1]!.msg).toBe('rate-limit store (Redis) unavailable: limiting per process in memory until it is back');
    } finally {
      Date.now = realNow;
      await store.close();
    }
  });
});

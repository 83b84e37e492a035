import net from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that counts the statements clients execute, read off the
 * wire protocol: one per simple Query ('Q') and one per extended-protocol Execute ('E'). It sees
 * every system the same way (Prisma, PostGraphile's pg pool) without server-side logging or
 * pg_stat_statements, and is only in the path while statements are counted, never while timed.
 */
export interface CountingProxy {
  port: number;
  /** Statements seen since start (all connections). */
  readonly statements: number;
  close(): Promise<void>;
}

const PROTOCOL_3 = 196608; // startup message code; SSL/GSS/cancel requests use other codes

/** Parses the frontend byte stream of one connection, calling `onStatement` per Q/E message. */
function frontendParser(onStatement: () => void) {
  let typed = false; // false until the startup message: those messages carry no type byte
  let header: Buffer = Buffer.alloc(0);
  let remaining = 0;
  return (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - i);
        i += n;
        remaining -= n;
        continue;
      }
      const headerLength = typed ? 5 : 8;
      const take = chunk.subarray(i, i + headerLength - header.length);
      header = header.length ? Buffer.concat([header, take]) : take;
      i += take.length;
      if (header.length < headerLength) break;
      if (typed) {
        const type = header[0];
        if (type === 0x51 || type === 0x45) onStatement();
        remaining = header.readInt32BE(1) - 4;
      } else {
        remaining = header.readInt32BE(0) - 8;
        if (header.readInt32BE(4) === PROTOCOL_3) typed = true;
      }
      header = Buffer.alloc(0);
    }
  };
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let statements = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const parse = frontendParser(() => statements++);
    client.on('data', (chunk: Buffer) => {
      parse(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
    const destroy = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', destroy).on('close', destroy);
    upstream.on('error', destroy).on('close', destroy);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    get statements() {
      return statements;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The same postgres:// URL, pointed at the proxy. */
export function viaProxy(url: string, proxy: CountingProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

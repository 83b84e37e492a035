import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'cinegraph' },
    // Connection strings carry passwords; never print them.
    redact: ['databaseUrl', 'config.DATABASE_URL', 'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
  });
}

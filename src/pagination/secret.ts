// Its own module: config.ts checks it, and config.ts must not load cursor.ts's errors (graphql-yoga)
// for the tools that read the configuration, such as `npm run import` (docs/importing.md#speed).

/**
 * Signs cursors when CURSOR_SECRET is unset. Public on purpose (docs/operations.md#configuration): it only keeps
 * development and tests working; production refuses to start with it (config.ts).
 */
export const DEVELOPMENT_CURSOR_SECRET = 'cinegraph-development-cursor-secret';

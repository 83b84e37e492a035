import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * An `onRequestParse` hook that wraps graphql-yoga's request parser and turns the parse errors
 * `translate` recognises into our own (a stable code and HTTP status); any other error passes
 * through unchanged.
 */
export function translateParseErrors(translate: (error: unknown) => GraphQLError | undefined): NonNullable<Plugin['onRequestParse']> {
  return ({ requestParser, setRequestParser }) => {
    if (!requestParser) return;
    setRequestParser(async (request) => {
      try {
        return await requestParser(request);
      } catch (error) {
        throw translate(error) ?? error;
      }
    });
  };
}

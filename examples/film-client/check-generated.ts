// Prints, as JSON, what graphql-codegen would write for codegen.ts (`[filename, content][]`)
// without writing it: tests/examples/film-client.test.ts compares that with the committed files.
import { generate } from '@graphql-codegen/cli';
import config from './codegen.ts';

const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: process.cwd(), silent: true }, false);
process.stdout.write(JSON.stringify(outputs.map((output) => [output.filename, output.content])));

import { builder } from '../builder.ts';
import './citation.ts';
import './credit.ts';
import './film.ts';
import './film-mutations.ts';
import './person.ts';
import './release.ts';
import './review.ts';
import './source.ts';

export const schema = builder.toSchema({ sortSchema: true });

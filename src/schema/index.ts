import { builder } from '../builder.ts';
import './citation/citation.ts';
import './credit.ts';
import './film/critic-score.ts';
import './external-id.ts';
import './film/film.ts';
import './film/release-for.ts';
import './person/filmography.ts';
import './film/mutations.ts';
import './person/person.ts';
import './release.ts';
import './review.ts';
import './search/search.ts';
import './citation/source.ts';

export const schema = builder.toSchema({ sortSchema: true });

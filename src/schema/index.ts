import { builder } from '../builder.ts';
import './citation.ts';
import './credit.ts';
import './critic-score.ts';
import './external-id.ts';
import './film.ts';
import './film-release.ts';
import './filmography.ts';
import './film-mutations.ts';
import './person.ts';
import './release.ts';
import './review.ts';
import './search.ts';
import './source.ts';

export const schema = builder.toSchema({ sortSchema: true });

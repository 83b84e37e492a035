/**
 * `Citation.subject`: the fact a citation backs — the record it is attached to (a film, a credit,
 * a release…; `Citation.field` names the attribute) — so a source can be read the other way round:
 * every excerpt linked to what it states. Planned into the citations' own statement (one LATERAL
 * join per kind of subject), never a query per citation.
 * Also the two ways back a page needs from a subject that has no page of its own: a quote's review
 * (`ReviewQuote.review`) and an alias's person (`PersonAlias.person`).
 */
import { builder } from '../../builder.ts';
import { CompanyRef, FilmCompanyRef, FilmMoneyRef, FilmTitleRef, RatingRef } from '../catalog/catalog.ts';
import { CreditRef } from '../credit.ts';
import { FilmRef } from '../film/film.ts';
import { PersonAliasRef, PersonRef } from '../person/person.ts';
import { ReleaseRef } from '../release.ts';
import { CriticRef, PublicationRef } from '../review/outlet.ts';
import { ReviewQuoteRef, ReviewRef } from '../review/review.ts';
import './citation.ts';

/** Citation's target columns' relations and the GraphQL type each one is (exactly one is set on a row). */
const SUBJECTS = [
  ['film', 'Film'],
  ['person', 'Person'],
  ['personAlias', 'PersonAlias'],
  ['credit', 'Credit'],
  ['publication', 'Publication'],
  ['critic', 'Critic'],
  ['review', 'Review'],
  ['reviewQuote', 'ReviewQuote'],
  ['release', 'Release'],
  ['rating', 'Rating'],
  ['filmTitle', 'FilmTitle'],
  ['company', 'Company'],
  ['filmCompany', 'FilmCompany'],
  ['filmMoney', 'FilmMoney'],
] as const;

/** The GraphQL type of each subject object `subject` resolved, for the union's resolveType. */
const typeOfSubject = new WeakMap<object, string>();

const CitedSubjectUnion = builder.unionType('CitedSubject', {
  description:
    'What a citation backs: the film, person, credit, release, review, rating… it is attached to. `Citation.field` names the attribute (null: the whole record).',
  types: () => [
    FilmRef,
    PersonRef,
    PersonAliasRef,
    CreditRef,
    PublicationRef,
    CriticRef,
    ReviewRef,
    ReviewQuoteRef,
    ReleaseRef,
    RatingRef,
    FilmTitleRef,
    CompanyRef,
    FilmCompanyRef,
    FilmMoneyRef,
  ],
  resolveType: (subject) => typeOfSubject.get(subject as object) ?? null,
});

builder.prismaObjectFields('Citation', (t) => ({
  subject: t.field({
    type: CitedSubjectUnion,
    // Every citation has one (the schema's rows are written with exactly one target); nullable so a
    // subject deleted in the same instant as the read answers null rather than failing the list.
    nullable: true,
    description: 'The fact this citation backs: the record it is attached to, read with `field` (the attribute; null: the whole record).',
    // Each relation is planned with what the query selects under the fragment on its type only.
    select: (_args, _ctx, nestedSelection) => ({
      film: nestedSelection(true, [], 'Film'),
      person: nestedSelection(true, [], 'Person'),
      personAlias: nestedSelection(true, [], 'PersonAlias'),
      credit: nestedSelection(true, [], 'Credit'),
      publication: nestedSelection(true, [], 'Publication'),
      critic: nestedSelection(true, [], 'Critic'),
      review: nestedSelection(true, [], 'Review'),
      reviewQuote: nestedSelection(true, [], 'ReviewQuote'),
      release: nestedSelection(true, [], 'Release'),
      rating: nestedSelection(true, [], 'Rating'),
      filmTitle: nestedSelection(true, [], 'FilmTitle'),
      company: nestedSelection(true, [], 'Company'),
      filmCompany: nestedSelection(true, [], 'FilmCompany'),
      filmMoney: nestedSelection(true, [], 'FilmMoney'),
    }),
    resolve: (citation) => {
      for (const [relation, type] of SUBJECTS) {
        const subject = citation[relation];
        if (subject) {
          typeOfSubject.set(subject, type);
          return subject;
        }
      }
      return null;
    },
  }),
}));

builder.prismaObjectField('ReviewQuote', 'review', (t) => t.relation('review', { description: 'The review this passage is quoted from.' }));
builder.prismaObjectField('PersonAlias', 'person', (t) => t.relation('person', { description: 'The person known by this spelling.' }));

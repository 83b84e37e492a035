import { Link } from 'wouter';
import { graphql, readFragment, type FragmentType } from '../gql';
import { countryName, formatDate } from '../country.ts';

export const CitedSubjectFragment = graphql(`
  fragment CitedSubjectLink on Citation {
    field
    subject {
      __typename
      ... on Film {
        id
        slug
        title
      }
      ... on Person {
        id
        slug
        name
      }
      ... on PersonAlias {
        id
        name
        person {
          id
          slug
        }
      }
      ... on Credit {
        id
        kind
        job
        character
        person {
          id
          name
        }
        film {
          id
          slug
          title
        }
      }
      ... on Release {
        id
        country
        date
        film {
          id
          slug
          title
        }
      }
      ... on Review {
        id
        publication {
          id
          name
        }
        film {
          id
          slug
          title
        }
      }
      ... on ReviewQuote {
        id
        review {
          id
          film {
            id
            slug
            title
          }
        }
      }
      ... on Rating {
        id
        source
        film {
          id
          slug
          title
        }
      }
      ... on FilmTitle {
        id
        title
        film {
          id
          slug
          title
        }
      }
      ... on FilmCompany {
        id
        role
        company {
          id
          name
        }
        film {
          id
          slug
          title
        }
      }
      ... on FilmMoney {
        id
        moneyKind: kind
        film {
          id
          slug
          title
        }
      }
      ... on Company {
        id
        name
      }
      ... on Publication {
        id
        name
      }
      ... on Critic {
        id
        name
      }
    }
  }
`);

/** The id of a fact's element on its page, the target of a `#…` link (film page: credits, reviews, ratings…). */
export function factAnchor(typename: string, id: string): string {
  return `${typename.toLowerCase()}-${id.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

const lower = (value: string) => value.toLowerCase().replace(/_/g, ' ');

/** Where a citation's fact is shown (a page and the fact's anchor on it) and how to name it; no href for a record without a page. */
export function describeSubject(ref: FragmentType<typeof CitedSubjectFragment>): { href?: string; label: string } {
  const { field, subject } = readFragment(CitedSubjectFragment, ref);
  const of = field ? ` (${field})` : '';
  if (!subject) return { label: 'a record that no longer exists' };
  switch (subject.__typename) {
    case 'Film':
      return { href: `/film/${subject.slug}${field === 'synopsis' ? '#synopsis' : ''}`, label: `${subject.title}${of}` };
    case 'Person':
      return { href: `/person/${subject.slug}`, label: `${subject.name}${of}` };
    case 'PersonAlias':
      return { href: `/person/${subject.person.slug}`, label: `the spelling “${subject.name}”` };
    case 'Credit': {
      const role = subject.kind === 'CAST' ? (subject.character ? `as ${subject.character}` : 'in the cast') : subject.job;
      return { href: `/film/${subject.film.slug}#${factAnchor('Credit', subject.id)}`, label: `${subject.person.name} ${role} in ${subject.film.title}${of}` };
    }
    case 'Release':
      return {
        href: `/film/${subject.film.slug}?country=${subject.country}#release`,
        label: `${subject.film.title}: released ${formatDate(subject.date)} in ${countryName(subject.country)}${of}`,
      };
    case 'Review':
      return {
        href: `/film/${subject.film.slug}#${factAnchor('Review', subject.id)}`,
        label: `${subject.publication.name}'s review of ${subject.film.title}${of}`,
      };
    case 'ReviewQuote':
      return {
        href: `/film/${subject.review.film.slug}#${factAnchor('Review', subject.review.id)}`,
        label: `a quote of a review of ${subject.review.film.title}`,
      };
    case 'Rating':
      return { href: `/film/${subject.film.slug}#${factAnchor('Rating', subject.id)}`, label: `${subject.film.title}: ${lower(subject.source)} rating${of}` };
    case 'FilmTitle':
      return { href: `/film/${subject.film.slug}`, label: `${subject.film.title}: the title “${subject.title}”` };
    case 'FilmCompany':
      return { href: `/film/${subject.film.slug}`, label: `${subject.film.title}: ${subject.company.name} (${lower(subject.role)})` };
    case 'FilmMoney':
      return { href: `/film/${subject.film.slug}`, label: `${subject.film.title}: ${lower(subject.moneyKind)}` };
    case 'Company':
    case 'Publication':
    case 'Critic':
      return { label: `${subject.name}${of}` };
  }
}

/** A link to the fact a citation backs (plain text when the fact has no page). */
export function SubjectLink({ citation }: { citation: FragmentType<typeof CitedSubjectFragment> }) {
  const { href, label } = describeSubject(citation);
  return href ? (
    <Link href={href} className="subject">
      {label}
    </Link>
  ) : (
    <span className="subject">{label}</span>
  );
}

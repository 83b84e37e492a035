import { Link } from 'wouter';
import { graphql, readFragment, type FragmentType } from '../gql';
import { Fact } from './Cite.tsx';
import { factAnchor } from './Subject.tsx';

export const CreditRowFragment = graphql(`
  fragment CreditRow on Credit {
    id
    kind
    job
    department
    character
    voice
    billingOrder
    person {
      id
      slug
      name
    }
    citations {
      ...CitationLink
    }
  }
`);

/** One credit: the person (links to their page) and the role, which links to the passage that states it. */
export function CreditRow({ credit: ref }: { credit: FragmentType<typeof CreditRowFragment> }) {
  const credit = readFragment(CreditRowFragment, ref);
  const role =
    credit.kind === 'CAST' ? (credit.character ? `as ${credit.character}${credit.voice ? ' (voice)' : ''}` : credit.voice ? 'voice' : 'cast') : credit.job;
  return (
    <li className="credit" id={factAnchor('Credit', credit.id)}>
      <Link href={`/person/${credit.person.slug}`} className="person">
        {credit.person.name}
      </Link>{' '}
      <span className="role">
        <Fact citations={credit.citations} label={`Source: ${credit.person.name} ${role}`}>
          {role}
        </Fact>
      </span>
    </li>
  );
}

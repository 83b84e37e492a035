import { graphql, readFragment, type FragmentType } from '../gql';
import { formatDate } from '../country.ts';
import { Fact } from './Cite.tsx';
import { factAnchor } from './Subject.tsx';

export const ReviewItemFragment = graphql(`
  fragment ReviewItem on Review {
    id
    normalizedScore
    originalScore
    scoreScale
    publishedOn
    url
    publication {
      name
    }
    critic {
      name
    }
    citations {
      ...CitationLink
    }
    quotes {
      id
      text
      citations {
        ...CitationLink
      }
    }
  }
`);

export function ReviewItem({ review: ref }: { review: FragmentType<typeof ReviewItemFragment> }) {
  const review = readFragment(ReviewItemFragment, ref);
  const by = [review.critic?.name, review.publication.name].filter(Boolean).join(', ');
  return (
    <li className="review" id={factAnchor('Review', review.id)}>
      <p className="review-by">
        <Fact citations={review.citations} label={`Source for the review by ${by}`}>
          {by}
        </Fact>
        {review.publishedOn && <span className="muted"> · {formatDate(review.publishedOn)}</span>}
        {review.originalScore !== null && (
          <span className="muted">
            {' '}
            · {review.originalScore}
            {review.scoreScale !== null ? `/${review.scoreScale}` : ''}
          </span>
        )}
      </p>
      {review.quotes.map((quote) => (
        <blockquote key={quote.id}>
          <Fact citations={quote.citations} label={`Source for the quote by ${by}`}>
            “{quote.text}”
          </Fact>
        </blockquote>
      ))}
    </li>
  );
}

import { useEffect } from 'react';
import { Link, useSearch, useLocation } from 'wouter';
import { useQuery } from 'urql';
import { Fact } from '../components/Cite.tsx';
import { CreditRow, CreditRowFragment } from '../components/CreditRow.tsx';
import { ReviewItem } from '../components/ReviewItem.tsx';
import { factAnchor } from '../components/Subject.tsx';
import { useFactTarget } from '../useFactTarget.ts';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { COMMON_COUNTRIES, browserCountry, countryName, formatDate } from '../country.ts';
import { graphql, readFragment } from '../gql';

const FilmPageQuery = graphql(`
  query FilmPage($slug: String!, $country: CountryCode!) {
    film(slug: $slug) {
      id
      slug
      title
      originalTitle
      year
      genres
      synopsis
      runtimeMinutes
      citations {
        ...CitationLink
      }
      cast {
        ...CreditRow
      }
      crew {
        ...CreditRow
      }
      releases {
        id
        country
      }
      releaseFor(country: $country) {
        matchedCountry
        release {
          id
          country
          date
          type
          certification
          citations {
            ...CitationLink
          }
        }
      }
      ratings {
        id
        source
        value
        scale
        votes
        citations {
          ...CitationLink
        }
      }
      criticScore {
        average
        count
        scoredCount
        positiveShare
      }
      reviews(first: 20) {
        totalCount
        nodes {
          id
          ...ReviewItem
        }
      }
    }
  }
`);

const RATING_SOURCES: Record<string, string> = { IMDB: 'IMDb users', METACRITIC: 'Metacritic', ROTTEN_TOMATOES: 'Rotten Tomatoes' };

const DEPARTMENTS: Record<string, string> = {
  DIRECTING: 'Directing',
  WRITING: 'Writing',
  PRODUCTION: 'Production',
  CAMERA: 'Camera',
  EDITING: 'Editing',
  SOUND: 'Sound',
  ART: 'Art',
  COSTUME_AND_MAKEUP: 'Costume and make-up',
  VISUAL_EFFECTS: 'Visual effects',
  CREW: 'Crew',
  ACTING: 'Acting',
};

export function FilmPage({ slug }: { slug: string }) {
  const search = new URLSearchParams(useSearch());
  const [location, navigate] = useLocation();
  const country = (search.get('country') ?? browserCountry()).toUpperCase();
  const [{ data, fetching, error }, refetch] = useQuery({ query: FilmPageQuery, variables: { slug, country } });
  const film = data?.film;
  useFactTarget(Boolean(film));
  useEffect(() => {
    if (film) document.title = `${film.title}${film.year ? ` (${film.year})` : ''} · Cinegraph`;
  }, [film]);

  if (error && !film) return <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !film) return <Loading label="Loading the film" lines={10} />;
  if (!film) {
    return (
      <section className="page">
        <h1>No such film</h1>
        <p>
          Nothing is catalogued under “{slug}”. <Link href="/">Search</Link> instead.
        </p>
      </section>
    );
  }

  const crewByDepartment = new Map<string, typeof film.crew>();
  for (const credit of film.crew) {
    const department = readFragment(CreditRowFragment, credit).department;
    crewByDepartment.set(department, [...(crewByDepartment.get(department) ?? []), credit]);
  }
  const countries = [...new Set([country, ...film.releases.map((r) => r.country), ...COMMON_COUNTRIES])];
  const choice = film.releaseFor;
  const score = film.criticScore;

  return (
    <article className="page film">
      <header className="film-head">
        <h1>
          <Fact citations={film.citations} field="title" label={`Source for the title ${film.title}`}>
            {film.title}
          </Fact>{' '}
          {film.year !== null && (
            <span className="year">
              (
              <Fact citations={film.citations} field="year" label={`Source for the year ${film.year}`}>
                {film.year}
              </Fact>
              )
            </span>
          )}
        </h1>
        {film.originalTitle && film.originalTitle !== film.title && <p className="muted">Original title: {film.originalTitle}</p>}
        {film.genres.length > 0 && (
          <ul className="chips" aria-label="Genres">
            {film.genres.map((genre) => (
              <li key={genre}>
                <Fact citations={film.citations} field="genres" label={`Source for the genre ${genre}`}>
                  {genre}
                </Fact>
              </li>
            ))}
          </ul>
        )}
        {film.runtimeMinutes !== null && (
          <p className="muted">
            <Fact citations={film.citations} field="runtimeMinutes" label="Source for the runtime">
              {film.runtimeMinutes} minutes
            </Fact>
          </p>
        )}
      </header>

      <div className="film-grid">
        <div>
          {film.synopsis && (
            <section aria-labelledby="synopsis">
              <h2 id="synopsis">Synopsis</h2>
              <p className="synopsis">
                <Fact citations={film.citations} field="synopsis" label="Source for the synopsis">
                  {film.synopsis}
                </Fact>
              </p>
            </section>
          )}

          <section aria-labelledby="cast">
            <h2 id="cast">Cast</h2>
            {film.cast.length === 0 ? (
              <p className="muted">No cast is catalogued.</p>
            ) : (
              <ol className="credits">
                {film.cast.map((credit, i) => (
                  <CreditRow key={i} credit={credit} />
                ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="crew">
            <h2 id="crew">Crew</h2>
            {crewByDepartment.size === 0 && <p className="muted">No crew is catalogued.</p>}
            {[...crewByDepartment].map(([department, credits]) => (
              <div key={department} className="department">
                <h3>{DEPARTMENTS[department] ?? department}</h3>
                <ul className="credits">
                  {credits.map((credit, i) => (
                    <CreditRow key={i} credit={credit} />
                  ))}
                </ul>
              </div>
            ))}
          </section>
        </div>

        <aside>
          <section aria-labelledby="release" className="panel">
            <h2 id="release">Release</h2>
            <label htmlFor="country">Country</label>
            <select
              id="country"
              value={country}
              onChange={(e) => {
                const next = new URLSearchParams(search);
                next.set('country', e.target.value);
                navigate(`${location}?${next.toString()}`, { replace: true });
              }}
            >
              {countries.map((code) => (
                <option key={code} value={code}>
                  {countryName(code)}
                </option>
              ))}
            </select>
            {choice ? (
              <p className="release">
                {!choice.matchedCountry && <span className="muted">No release in {countryName(country)}; shown instead: </span>}
                <Fact citations={choice.release.citations} label={`Source for the release in ${countryName(choice.release.country)}`}>
                  {formatDate(choice.release.date)}
                </Fact>{' '}
                in {countryName(choice.release.country)} ({choice.release.type.toLowerCase()}
                {choice.release.certification ? `, rated ${choice.release.certification}` : ''})
              </p>
            ) : (
              <p className="muted">No release is catalogued.</p>
            )}
          </section>

          <section aria-labelledby="audience" className="panel">
            <h2 id="audience">Audience ratings</h2>
            {film.ratings.length === 0 ? (
              <p className="muted">No audience rating is catalogued.</p>
            ) : (
              <ul className="ratings">
                {film.ratings.map((rating) => (
                  <li key={rating.id} id={factAnchor('Rating', rating.id)}>
                    {RATING_SOURCES[rating.source] ?? rating.source}:{' '}
                    <Fact citations={rating.citations} label={`Source for the ${RATING_SOURCES[rating.source] ?? rating.source} rating`}>
                      <strong>{rating.value}</strong>/{rating.scale}
                    </Fact>
                    {rating.votes !== null && <span className="muted"> ({rating.votes.toLocaleString()} votes)</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="critics" className="panel">
            <h2 id="critics">Critics</h2>
            {score.average === null ? (
              <p className="muted">{score.count === 0 ? 'No reviews yet.' : `${score.count} review${score.count === 1 ? '' : 's'}, none scored.`}</p>
            ) : (
              <p className="score">
                <strong>{Math.round(score.average)}</strong>/100 from {score.scoredCount} scored review{score.scoredCount === 1 ? '' : 's'}
                {score.positiveShare !== null && <> · {Math.round(score.positiveShare * 100)}% positive</>}
              </p>
            )}
          </section>
        </aside>
      </div>

      <section aria-labelledby="reviews">
        <h2 id="reviews">Reviews</h2>
        {film.reviews.nodes.length === 0 ? (
          <p className="muted">No reviews are catalogued.</p>
        ) : (
          <ul className="reviews">
            {film.reviews.nodes.map((review) => (
              <ReviewItem key={review.id} review={review} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

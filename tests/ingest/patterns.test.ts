// Each pattern of film writing the extractor understands (docs/ingestion.md#patterns), on a short
// text, compared exactly with the facts it should propose.
import { extract } from '../../src/ingest/extract.ts';
import { factsOf } from './summary.ts';

describe('titles', () => {
  test('"Title (2019)" gives the film and its year; "directed by" and "starring A, B and C" credit it', async () => {
    expect(await factsOf('Parasite (2019), directed by Bong Joon-ho, stars Song Kang-ho, Choi Woo-shik and Park So-dam.')).toEqual([
      'cast Parasite | Choi Woo-shik | -',
      'cast Parasite | Park So-dam | -',
      'cast Parasite | Song Kang-ho | -',
      'crew Parasite | Bong Joon-ho | Director',
      'film Parasite (2019)',
      'person Bong Joon-ho',
      'person Choi Woo-shik',
      'person Park So-dam',
      'person Song Kang-ho',
    ]);
  });

  test('titles in straight and curly, single and double quotation marks are films', async () => {
    expect(await factsOf('Jonze’s ‘Her’ opens the festival. Critics loved "Lady Bird" and \'Frances Ha\' before it; “Black Swan” followed.')).toEqual([
      'film Black Swan',
      'film Frances Ha',
      'film Her',
      'film Lady Bird',
    ]);
  });

  test('a title-case title after a film noun ("new sci-fi movie, Her") is the film the article is about', async () => {
    const proposals = await extract({ text: "Spike Jonze's delicate new sci-fi movie, Her, stars Joaquin Phoenix." });
    const film = proposals.find((p) => p.kind === 'film')!;
    expect(film).toMatchObject({ key: 'film:her', values: { title: 'Her', year: null }, excerpt: { text: 'Her' }, support: 'STATED', confidence: 0.95 });
  });

  test('a quoted word that is no title ("Delicate" is rarely a word …) is not a film', async () => {
    expect(await factsOf('"Delicate" is rarely a word you hear about sci-fi. His answer is a big fat "Does Not Compute."')).toEqual([]);
  });
});

describe('crew', () => {
  test('"written and directed by X", "from a script by X and Y", "music by X"', async () => {
    expect(
      await factsOf(
        'The Salt Road, written and directed by Inês Carvalho, stars Marta Quintela. It is from a script by Carvalho and Tomás Reis, with music by Hannah Reid.',
      ),
    ).toEqual([
      'cast The Salt Road | Marta Quintela | -',
      'crew The Salt Road | Hannah Reid | Composer',
      'crew The Salt Road | Inês Carvalho | Director',
      'crew The Salt Road | Inês Carvalho | Writer',
      'crew The Salt Road | Tomás Reis | Writer',
      'film The Salt Road',
      'person Hannah Reid',
      'person Inês Carvalho',
      'person Marta Quintela',
      'person Tomás Reis',
    ]);
  });

  test('"X\'s new film, Title" credits X as director, with the possessive as the reason', async () => {
    const proposals = await extract({ text: "Greta Gerwig's new film, Barbie, opens this week." });
    expect(proposals.find((p) => p.kind === 'crewCredit')).toMatchObject({
      values: { job: 'Director', department: 'DIRECTING' },
      refs: { film: 'film:barbie', person: 'person:greta-gerwig' },
      excerpt: { text: "Greta Gerwig's new film" },
      reason: 'stated: "X\'s film"',
      confidence: 0.75,
    });
  });

  test('a job noun before a name credits the job; a festival director is no film credit', async () => {
    expect(await factsOf('Black Ice (2024) was shot by cinematographer Lena Falk. Festival director Alberto Barbera said it was "a cinema of scale".')).toEqual(
      ['crew Black Ice | Lena Falk | Director of Photography', 'film Black Ice (2024)', 'person Lena Falk'],
    );
  });
});

describe('cast', () => {
  test('"A plays B", "A as B", "B (A)" and "voiced by A"', async () => {
    expect(
      await factsOf(
        'Barbie (2023) stars Margot Robbie. Ryan Gosling plays Ken, and Kate McKinnon as Weird Barbie steals scenes. President Barbie (Issa Rae) is fun. The narrator is voiced by Helen Mirren.',
      ),
    ).toEqual([
      'cast Barbie | Helen Mirren | - (voice)',
      'cast Barbie | Issa Rae | President Barbie',
      'cast Barbie | Kate McKinnon | Weird Barbie',
      'cast Barbie | Margot Robbie | -',
      'cast Barbie | Ryan Gosling | Ken',
      'film Barbie (2023)',
      'person Helen Mirren',
      'person Issa Rae',
      'person Kate McKinnon',
      'person Margot Robbie',
      'person Ryan Gosling',
    ]);
  });

  test('a character the article describes by voice is a voice role, INFERRED with the reason', async () => {
    const proposals = await extract({
      text: 'Her (2013) stars Joaquin Phoenix. Scarlett Johansson plays Samantha, the computer operating system. With her cracked voice, she wins him over.',
    });
    expect(proposals.find((p) => p.kind === 'castCredit' && p.values.character === 'Samantha')).toMatchObject({
      values: { character: 'Samantha', voice: true },
      excerpt: { text: 'Scarlett Johansson plays Samantha' },
      alsoCited: [{ text: 'voice' }],
      reason: 'stated: "X plays Y"; voice role inferred: the article describes the character by voice',
    });
  });
});

describe('releases', () => {
  const text = "Spike Jonze's new film, Her, will be released in the UK on 25th January and in the USA on the 10th January.";

  test("a day and month take the year from the article's date, INFERRED with the reason", async () => {
    const releases = (await extract({ text, publishedOn: '2013-12-01' })).filter((p) => p.kind === 'release');
    expect(releases.map((p) => [p.values, p.support, p.excerpt.text])).toEqual([
      [{ country: 'GB', date: '2014-01-25', type: 'THEATRICAL' }, 'INFERRED', 'will be released in the UK on 25th January'],
      [{ country: 'US', date: '2014-01-10', type: 'THEATRICAL' }, 'INFERRED', 'in the USA on the 10th January'],
    ]);
    expect(releases[0]!.reason).toBe(
      "inferred: year 2014 taken from the first 25 January on or after the article's date (2013-12-01): the text speaks of a coming release; the article says only that it is released: read as the general theatrical release",
    );
  });

  test('without an article date the year stays unknown (--MM-DD)', async () => {
    expect((await factsOf(text)).filter((f) => f.startsWith('release'))).toEqual([
      'release Her | GB | --01-25 | THEATRICAL',
      'release Her | US | --01-10 | THEATRICAL',
    ]);
  });

  test('"in theatres on October 18" is a theatrical release with no country named', async () => {
    expect((await factsOf('Her (2013) opens in theatres on October 18.', { publishedOn: '2013-09-01' })).filter((f) => f.startsWith('release'))).toEqual([
      'release Her | - | 2013-10-18 | THEATRICAL',
    ]);
  });
});

describe('reviews and ratings', () => {
  test('"said X in the Daily Mail", "The Verge assesses", "X of Y writes" attribute each quotation to its publication', async () => {
    expect(
      (
        await factsOf(
          'Her (2013) is "a triumph", said Brian Viner in the Daily Mail. The Verge assesses Her as "tender and strange". Peter Bradshaw of the Guardian writes that it is "simply unmissable".',
        )
      ).filter((f) => f.startsWith('review')),
    ).toEqual([
      'review Her | Daily Mail | Brian Viner | “a triumph” | -',
      'review Her | Guardian | Peter Bradshaw | “simply unmissable” | -',
      'review Her | The Verge | - | “tender and strange” | -',
    ]);
  });

  test('star ratings: the article\'s own (★★★★☆) is its publisher\'s review; "4 out of 5 stars" goes to the outlet that gave it', async () => {
    const facts = await factsOf('Her (2013) ★★★★☆\nA tender film. Empire gave it 5 out of 5 stars.', { publisher: 'The Northern Courier' });
    expect(facts.filter((f) => f.startsWith('review'))).toEqual(['review Her | Empire | - | - | 5/5', 'review Her | The Northern Courier | - | - | 4/5']);
  });

  test('"Stars 5" on a line of its own is the article\'s rating', async () => {
    expect((await factsOf('Her (2013) is a tender film.\nStars 5', { publisher: 'Screen Notes' })).filter((f) => f.startsWith('review'))).toEqual([
      'review Her | Screen Notes | - | - | 5/5',
    ]);
  });
});

describe('certificates, runtimes, genres, external ids', () => {
  test('"(15), 119mins", "rated PG-13", "1h 54min" and "180 minutes" go to the film of their sentence', async () => {
    expect(
      await factsOf('Her (2013) (15), 119mins. Barbie (2023) is rated PG-13 and runs 1h 54min. Oppenheimer (2023) has a running time of 180 minutes.'),
    ).toEqual([
      'certification Barbie | US | PG-13',
      'certification Her | GB | 15',
      'film Barbie (2023)',
      'film Her (2013)',
      'film Oppenheimer (2023)',
      'runtime Barbie | 114',
      'runtime Her | 119',
      'runtime Oppenheimer | 180',
    ]);
  });

  test('genre words from the controlled vocabulary, only where they describe the film', async () => {
    expect(await factsOf('Her (2013) is a tender romantic comedy. Sci-fi movies rarely manage that.')).toEqual([
      'film Her (2013)',
      'genre Her | Comedy',
      'genre Her | Romance',
    ]);
  });

  test("an IMDb id in the text is the film's external id", async () => {
    expect(await factsOf('Her (2013) — https://www.imdb.com/title/tt1798709/')).toEqual(['externalId Her | IMDB tt1798709', 'film Her (2013)']);
  });
});

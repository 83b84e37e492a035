// movies.json rows as film records: the real file's mess (number titles, missing fields,
// misread years) read or rejected with a reason, without a database.
import { movieRecord } from '../../src/import/movies-json.ts';

const row = (extra: Record<string, unknown>) => ({ Title: 'The Land Girls', 'Release Date': 'Jun 12 1998', ...extra });

test('a full row becomes a film with its values, each naming the fields that state it', () => {
  const record = movieRecord(
    row({
      'Running Time min': 111,
      'Major Genre': 'Drama',
      'IMDB Rating': 6.1,
      'IMDB Votes': 1071,
      'US Gross': 146083,
      Distributor: 'Gramercy',
      'MPAA Rating': 'R',
    }),
    'movies.json',
    3,
    2026,
  );
  expect(record).toEqual({
    file: 'movies.json',
    key: 'The Land Girls|Jun 12 1998',
    line: 3,
    imdbId: null,
    facts: {
      title: { value: 'The Land Girls', fields: ['Title'] },
      year: { value: 1998, fields: ['Release Date'] },
      runtimeMinutes: { value: 111, fields: ['Running Time min'] },
      genres: { value: ['Drama'], fields: ['Major Genre'] },
    },
    ratings: [{ source: 'IMDB', value: { value: 6.1, scale: 10, votes: 1071 }, fields: ['IMDB Rating', 'IMDB Votes'] }],
    money: [{ kind: 'GROSS_US', value: { amount: 146083n, currency: 'USD' }, fields: ['US Gross'] }],
    companies: [{ role: 'DISTRIBUTOR', value: 'Gramercy', fields: ['Distributor'] }],
    directors: [],
    release: { value: { country: 'US', date: new Date('1998-06-12T00:00:00Z'), certification: 'R' }, fields: ['Release Date', 'MPAA Rating'] },
  });
});

test('a title that is a number is a real title, read as text', () => {
  const record = movieRecord({ Title: 1776, 'Release Date': 'Mar 17 1972' }, 'movies.json', 1, 2026);
  expect(typeof record === 'object' && record.facts.title).toEqual({ value: '1776', fields: ['Title'] });
});

test.each([
  [{ Title: null, 'Release Date': 'Jun 12 1998' }, 'no Title'],
  [{ Title: '  ', 'Release Date': 'Jun 12 1998' }, 'no Title'],
  [{ Title: 'X' }, 'no Release Date'],
  [{ Title: 'X', 'Release Date': 'Jun 31 1998' }, 'Release Date "Jun 31 1998" is not a date like "Jun 12 1998"'],
  [{ Title: 'X', 'Release Date': '1998-06-12' }, 'Release Date "1998-06-12" is not a date like "Jun 12 1998"'],
  [{ Title: 'X', 'Release Date': 'Dec 31 2046' }, 'Release Date "Dec 31 2046" is after 2026 (a misread two-digit year)'],
  [row({ 'IMDB Rating': 11 }), 'IMDB Rating 11 is outside 0–10'],
  [row({ 'Rotten Tomatoes Rating': -1 }), 'Rotten Tomatoes Rating -1 is outside 0–100'],
  [row({ 'Running Time min': 0 }), 'Running Time min 0 is not a whole number of minutes in 1–1000'],
  [row({ 'US Gross': 1.5 }), 'US Gross 1.5 is not a whole number of dollars'],
  [[1, 2], 'not a JSON object'],
])('a bad row is rejected with its reason: %j', (input, reason) => {
  expect(movieRecord(input, 'movies.json', 1, 2026)).toBe(reason);
});

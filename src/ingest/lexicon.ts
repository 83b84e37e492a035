/**
 * The controlled vocabularies the rule layer matches: film nouns, genres, crew jobs, countries,
 * festivals, publications, speech verbs. Kept as data so a miss on a real article is fixed by a
 * word, not by a new rule.
 */
import type { CreditDepartment } from './types.ts';

/** Nouns that name a film ("Spike Jonze's delicate new sci-fi movie, Her"). */
export const FILM_NOUN =
  '(?:film|movie|picture|feature|flick|documentary|doc|drama|comedy|thriller|biopic|musical|western|romance|epic|sequel|prequel|remake|adaptation|blockbuster|debut|follow-up|animation|horror|fable|satire|pic|effort|outing|offering|release|tale)';

/**
 * Genres: TMDB's list (what the catalogue's `genres` holds) and the words articles use for each.
 * A word counts only next to a film noun or in "<Title> is a …" (genres.ts), never alone.
 */
export const GENRES: readonly [string, RegExp][] = [
  ['Science Fiction', /\b(?:sci-?fi|science[- ]fiction|space opera|cyberpunk)\b/i],
  ['Horror', /\b(?:horror|slasher|creature[- ]feature)\b/i],
  ['Comedy', /\b(?:comedy|comedic|rom-?com|romantic comedy|farce|screwball|comic)\b/i],
  ['Romance', /\b(?:romance|romantic|love story|rom-?com)\b/i],
  ['Drama', /\b(?:drama|melodrama)\b/i],
  ['Thriller', /\b(?:thriller|psychological thriller|techno-thriller)\b/i],
  ['Action', /\b(?:action|martial[- ]arts|heist)\b/i],
  ['Adventure', /\b(?:adventure|swashbuckler)\b/i],
  ['Animation', /\b(?:animated|animation|stop-motion|anime)\b/i],
  ['Documentary', /\b(?:documentary|doc)\b/i],
  ['Crime', /\b(?:crime|gangster|noir|heist|mob)\b/i],
  ['Fantasy', /\b(?:fantasy|fairy[- ]tale)\b/i],
  ['Mystery', /\b(?:mystery|whodunn?it)\b/i],
  ['Family', /\b(?:family)\b/i],
  ['History', /\b(?:historical|period|history)\b/i],
  ['War', /\b(?:war)\b/i],
  ['Western', /\b(?:western)\b/i],
  ['Music', /\b(?:musical|music|concert)\b/i],
];

export interface Job {
  job: string;
  department: CreditDepartment;
}
export const DIRECTOR: Job = { job: 'Director', department: 'DIRECTING' };
export const WRITER: Job = { job: 'Writer', department: 'WRITING' };
const PRODUCER: Job = { job: 'Producer', department: 'PRODUCTION' };
const COMPOSER: Job = { job: 'Composer', department: 'SOUND' };
const DOP: Job = { job: 'Director of Photography', department: 'CAMERA' };
const EDITOR: Job = { job: 'Editor', department: 'EDITING' };
const STORY: Job = { job: 'Story', department: 'WRITING' };

/** A job noun before a name ("director Greta Gerwig", "screenwriter X") or after "as the" ("as the sole writer"). */
export const JOB_NOUNS: readonly [RegExp, Job[]][] = [
  [/^(?:writer[-/ ]director|writer and director)$/i, [WRITER, DIRECTOR]],
  [/^(?:director|filmmaker|film-maker|helmer|auteur)$/i, [DIRECTOR]],
  [/^(?:writer|screenwriter|scriptwriter|co-writer)$/i, [WRITER]],
  [/^(?:producer|co-producer)$/i, [PRODUCER]],
  [/^executive producer$/i, [{ job: 'Executive Producer', department: 'PRODUCTION' }]],
  [/^composer$/i, [COMPOSER]],
  [/^(?:cinematographer|director of photography|DP|DoP)$/i, [DOP]],
  [/^editor$/i, [EDITOR]],
];
export const JOB_NOUN =
  '(?:writer[-/ ]director|writer and director|director of photography|executive producer|director|filmmaker|film-maker|helmer|screenwriter|scriptwriter|co-writer|writer|co-producer|producer|composer|cinematographer|editor|DP|DoP)';

/** "<verb>ed by X" and the jobs it gives. */
export const BY_VERBS: readonly [RegExp, Job[]][] = [
  [/^written and directed$/i, [WRITER, DIRECTOR]],
  [/^(?:directed|co-directed|helmed)$/i, [DIRECTOR]],
  [/^(?:written|scripted|penned|co-written)$/i, [WRITER]],
  [/^(?:(?:from )?a (?:script|screenplay)|(?:the )?screenplay)$/i, [WRITER]],
  [/^(?:(?:from )?a story|(?:the )?story)$/i, [STORY]],
  [/^produced$/i, [PRODUCER]],
  [/^(?:scored|(?:a |the )?(?:score|music))$/i, [COMPOSER]],
  [/^(?:shot|lensed|(?:the )?cinematography)$/i, [DOP]],
  [/^edited$/i, [EDITOR]],
];
export const BY_VERB =
  '(?:written and directed|directed|co-directed|helmed|co-written|written|scripted|penned|(?:from )?a (?:script|screenplay)|(?:the )?screenplay|(?:from )?a story|(?:the )?story|produced|scored|(?:a |the )?(?:score|music)|shot|lensed|(?:the )?cinematography|edited)';

/** Countries as articles name them (noun forms), to ISO 3166-1 alpha-2. */
const COUNTRY_NAMES: Record<string, string> = {
  UK: 'GB',
  'U.K.': 'GB',
  'United Kingdom': 'GB',
  Britain: 'GB',
  'Great Britain': 'GB',
  England: 'GB',
  Scotland: 'GB',
  Wales: 'GB',
  US: 'US',
  'U.S.': 'US',
  USA: 'US',
  'U.S.A.': 'US',
  'United States': 'US',
  America: 'US',
  Stateside: 'US',
  Ireland: 'IE',
  France: 'FR',
  Germany: 'DE',
  Spain: 'ES',
  Portugal: 'PT',
  Italy: 'IT',
  Japan: 'JP',
  'South Korea': 'KR',
  Korea: 'KR',
  China: 'CN',
  'Hong Kong': 'HK',
  Taiwan: 'TW',
  India: 'IN',
  Australia: 'AU',
  'New Zealand': 'NZ',
  Canada: 'CA',
  Mexico: 'MX',
  Brazil: 'BR',
  Argentina: 'AR',
  Chile: 'CL',
  Colombia: 'CO',
  Denmark: 'DK',
  Sweden: 'SE',
  Norway: 'NO',
  Finland: 'FI',
  Iceland: 'IS',
  Netherlands: 'NL',
  Belgium: 'BE',
  Switzerland: 'CH',
  Austria: 'AT',
  Poland: 'PL',
  'Czech Republic': 'CZ',
  Greece: 'GR',
  Turkey: 'TR',
  Russia: 'RU',
  Israel: 'IL',
  Iran: 'IR',
  Egypt: 'EG',
  'South Africa': 'ZA',
  Nigeria: 'NG',
  Thailand: 'TH',
  Philippines: 'PH',
  Indonesia: 'ID',
  Singapore: 'SG',
};
/**
 * Adjective forms count only before a word about releasing ("Portuguese cinemas", "US theaters"):
 * "the American West" or "an Italian drama" say nothing about where a film opens.
 */
const COUNTRY_ADJECTIVES: Record<string, string> = {
  British: 'GB',
  English: 'GB',
  American: 'US',
  Irish: 'IE',
  French: 'FR',
  German: 'DE',
  Spanish: 'ES',
  Portuguese: 'PT',
  Italian: 'IT',
  Japanese: 'JP',
  Korean: 'KR',
  'South Korean': 'KR',
  Chinese: 'CN',
  Indian: 'IN',
  Australian: 'AU',
  Canadian: 'CA',
  Mexican: 'MX',
  Brazilian: 'BR',
  Argentine: 'AR',
  Danish: 'DK',
  Swedish: 'SE',
  Norwegian: 'NO',
  Finnish: 'FI',
  Dutch: 'NL',
  Belgian: 'BE',
  Swiss: 'CH',
  Austrian: 'AT',
  Polish: 'PL',
  Czech: 'CZ',
  Greek: 'GR',
  Turkish: 'TR',
  Russian: 'RU',
  Israeli: 'IL',
};
const alternation = (names: string[]) =>
  [...names]
    .sort((x, y) => y.length - x.length)
    .map((n) => n.replace(/\./g, '\\.'))
    .join('|');
export const COUNTRY_NOUN = new RegExp(`(?<![\\p{L}.])(?:the )?(${alternation(Object.keys(COUNTRY_NAMES))})(?![\\p{L}])`, 'gu');
export const COUNTRY_ADJECTIVE = new RegExp(
  `(?<![\\p{L}])(${alternation(Object.keys(COUNTRY_ADJECTIVES))})(?= (?:and [\\p{L} ]+? )?(?:cinemas|theaters|theatres|screens|audiences|release|distribution|box office))`,
  'gu',
);
export const countryCode = (name: string): string | undefined => COUNTRY_NAMES[name] ?? COUNTRY_ADJECTIVES[name];

/** Festivals and the country they take place in (a premiere there is a PREMIERE release in that country). */
export const FESTIVALS: readonly [RegExp, string][] = [
  [/\bCannes\b/, 'FR'],
  [/\bVenice\b/, 'IT'],
  [/\b(?:Berlinale|Berlin)\b/, 'DE'],
  [/\b(?:Toronto|TIFF)\b/, 'CA'],
  [/\bSundance\b/, 'US'],
  [/\bTelluride\b/, 'US'],
  [/\b(?:SXSW|South by Southwest)\b/, 'US'],
  [/\bTribeca\b/, 'US'],
  [/\bNew York Film Festival\b/, 'US'],
  [/\b(?:London Film Festival|BFI London)\b/, 'GB'],
  [/\bEdinburgh\b/, 'GB'],
  [/\bBusan\b/, 'KR'],
  [/\bLocarno\b/, 'CH'],
  [/\bSan Sebasti[aá]n\b/, 'ES'],
  [/\bKarlovy Vary\b/, 'CZ'],
  [/\bRotterdam\b/, 'NL'],
];

/**
 * Outlets that review films. A name not listed still counts when a pattern makes it a
 * publication ("X of Y writes", "said X in the Y") or it ends in a newspaper word (Times, Post…).
 */
export const PUBLICATIONS = [
  'The Guardian',
  'The Observer',
  'The Times',
  'The Sunday Times',
  'The Telegraph',
  'The Daily Telegraph',
  'The Independent',
  'Evening Standard',
  'Daily Mail',
  'Mail on Sunday',
  'Daily Mirror',
  'The Sun',
  'Financial Times',
  'The Economist',
  'Empire',
  'Total Film',
  'Little White Lies',
  'Sight and Sound',
  'Sight & Sound',
  'Time Out',
  'Radio Times',
  'BBC',
  'Screen Daily',
  'Screen International',
  'Variety',
  'The Hollywood Reporter',
  'IndieWire',
  'Indiewire',
  'Deadline',
  'TheWrap',
  'The Wrap',
  'Vulture',
  'New York Magazine',
  'The New York Times',
  'New York Times',
  'LA Times',
  'Los Angeles Times',
  'The Washington Post',
  'Washington Post',
  'The Wall Street Journal',
  'Wall Street Journal',
  'USA Today',
  'Chicago Tribune',
  'Chicago Sun-Times',
  'Boston Globe',
  'The New Yorker',
  'The Atlantic',
  'Rolling Stone',
  'Entertainment Weekly',
  'Time',
  'The Verge',
  'Vox',
  'Slate',
  'Salon',
  'Polygon',
  'IGN',
  'Collider',
  'Slashfilm',
  '/Film',
  'RogerEbert.com',
  'Slant',
  'Slant Magazine',
  'The A.V. Club',
  'AV Club',
  'Paste',
  'NPR',
  'Vanity Fair',
  'Esquire',
  'GQ',
  'Wired',
  'Cahiers du Cinéma',
  'Le Monde',
  'The Irish Times',
  'The Skinny',
];
export const NEWSPAPER_WORD =
  /\b(?:Times|Post|Journal|Guardian|Telegraph|Observer|Herald|Tribune|Gazette|Standard|Independent|Mail|Express|Mirror|Chronicle|Globe|Magazine|Weekly|Daily|Review|Reporter|Monthly|Examiner|Inquirer|Courier|Bulletin|Digest)\b/;

/** Verbs that attribute a quotation. */
export const SPEECH_VERB =
  '(?:says|said|writes|wrote|assesses|assessed|reassures|reassured|declares|declared|notes|noted|raves|raved|argues|argued|praises|praised|calls|called|claims|claimed|concludes|concluded|observes|observed|adds|added|enthuses|enthused|gushes|gushed|opines|opined|warns|warned|describes|described|hails|hailed|insists|insisted|reckons|reckoned|suggests|suggested|proclaims|proclaimed|admits|admitted|complains|complained|summed up|sums up)';

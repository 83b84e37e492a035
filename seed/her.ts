/**
 * Facts stated in (or, where marked INFERRED, reasoned from) seed/her-review.txt.
 * Every excerpt must occur verbatim in the article; the seed computes offsets itself and
 * refuses to run if an excerpt is missing. Nothing here names an entity the article does
 * not name: unknown values (URLs, ids, film years, runtimes) stay null.
 */
import type { ArticleSeed } from './types.ts';

const jonzeEarlierFilms = "Her sees Jonze ('Where The Wild Things Are,' 'Being John Malkovich')";
const phoenixEarlierFilms = "the back-on-form Phoenix ('Gladiator,' 'Walk The Line')";

export const herArticle: ArticleSeed = {
  source: {
    slug: 'her-review',
    file: 'her-review.txt',
    // The article's title, address and publisher are not part of the text we hold.
    title: null,
    url: null,
    publisher: null,
  },
  films: [
    {
      slug: 'her',
      title: 'Her',
      synopsis: 'A sad and lonely man falls in love with a computerised operating system.',
      genres: ['Science Fiction'],
      cite: [
        { excerpt: "Spike Jonze's delicate new sci-fi movie, Her" },
        { field: 'genres', excerpt: 'delicate new sci-fi movie' },
        {
          field: 'synopsis',
          excerpt: 'a sad and lonely man is capable of falling in love with a computerised operating system',
        },
      ],
    },
    {
      slug: 'where-the-wild-things-are',
      title: 'Where the Wild Things Are',
      cite: [{ excerpt: "'Where The Wild Things Are,'" }],
    },
    {
      slug: 'being-john-malkovich',
      title: 'Being John Malkovich',
      cite: [{ excerpt: "'Being John Malkovich'" }],
    },
    { slug: 'gladiator', title: 'Gladiator', cite: [{ excerpt: "'Gladiator,'" }] },
    { slug: 'walk-the-line', title: 'Walk the Line', cite: [{ excerpt: "'Walk The Line'" }] },
  ],
  people: [
    { slug: 'spike-jonze', name: 'Spike Jonze', cite: [{ excerpt: "Spike Jonze's" }] },
    { slug: 'joaquin-phoenix', name: 'Joaquin Phoenix', cite: [{ excerpt: 'which stars Joaquin Phoenix' }] },
    {
      slug: 'scarlett-johansson',
      name: 'Scarlett Johansson',
      cite: [{ excerpt: 'Scarlett Johansson plays Samantha' }],
      aliases: [
        {
          name: 'Johannson',
          cite: [
            {
              excerpt: 'Phoenix and Johannson do an incredible job',
              note: "Misspelling inside The Verge's quote; the article names Scarlett Johansson as Her's co-star.",
            },
          ],
        },
      ],
    },
  ],
  credits: [
    {
      film: 'her',
      person: 'spike-jonze',
      kind: 'CREW',
      department: 'DIRECTING',
      job: 'Director',
      cite: [{ excerpt: "Spike Jonze's delicate new sci-fi movie" }, { excerpt: "the depth of emotion that makes the director's films so memorable" }],
    },
    {
      film: 'her',
      person: 'spike-jonze',
      kind: 'CREW',
      department: 'WRITING',
      job: 'Writer',
      cite: [{ excerpt: 'come into his own as the sole writer' }],
    },
    {
      film: 'her',
      person: 'joaquin-phoenix',
      kind: 'CAST',
      character: 'Theodore',
      billingOrder: 1,
      cite: [
        { excerpt: 'which stars Joaquin Phoenix' },
        { excerpt: 'Theodore (Phoenix)' },
        {
          field: 'billingOrder',
          kind: 'INFERRED',
          excerpt: 'which stars Joaquin Phoenix',
          note: 'Billing follows the order in which the article introduces the leads.',
        },
      ],
    },
    {
      film: 'her',
      person: 'scarlett-johansson',
      kind: 'CAST',
      character: 'Samantha',
      billingOrder: 2,
      voice: true,
      cite: [
        { excerpt: 'Scarlett Johansson plays Samantha, the computer operating system' },
        {
          field: 'voice',
          kind: 'INFERRED',
          excerpt: 'With her cracked voice',
          note: 'Samantha is an operating system the article describes by her voice; a voice-only performance is inferred.',
        },
        {
          field: 'billingOrder',
          kind: 'INFERRED',
          excerpt: 'Scarlett Johansson plays Samantha',
          note: 'Billing follows the order in which the article introduces the leads.',
        },
      ],
    },
    ...['where-the-wild-things-are', 'being-john-malkovich'].map((film) => ({
      film,
      person: 'spike-jonze',
      kind: 'CREW' as const,
      department: 'DIRECTING' as const,
      job: 'Director',
      cite: [
        {
          kind: 'INFERRED' as const,
          excerpt: jonzeEarlierFilms,
          note: "Listed as Jonze's earlier films, which the article calls 'the director's films'; his role on each is not spelled out.",
        },
      ],
    })),
    ...['gladiator', 'walk-the-line'].map((film) => ({
      film,
      person: 'joaquin-phoenix',
      kind: 'CAST' as const,
      cite: [
        {
          kind: 'INFERRED' as const,
          excerpt: phoenixEarlierFilms,
          note: "Listed as Phoenix's earlier films; that he acted in them is inferred, and his characters are not named.",
        },
      ],
    })),
  ],
  publications: [
    { slug: 'la-times', name: 'LA Times', cite: [{ excerpt: 'the LA Times' }] },
    { slug: 'the-verge', name: 'The Verge', cite: [{ excerpt: 'The Verge' }] },
  ],
  reviews: [
    {
      film: 'her',
      publication: 'la-times',
      cite: [{ excerpt: 'For those still unsure about the basic concept of Her, the LA Times reassures:' }],
      quotes: [
        "['Her' is] Acerbic, emotional, provocative, it's a risky high dive off the big board with a plot that sounds like a gimmick but ends up haunting, odd and a bit wonderful.",
      ],
    },
    {
      film: 'her',
      publication: 'the-verge',
      cite: [{ excerpt: 'The Verge assesses, Her "eschews the weirdness"' }],
      quotes: ['eschews the weirdness', 'Phoenix and Johannson do an incredible job making us believe that they are two equal entities.'],
    },
  ],
  releases: [
    {
      film: 'her',
      country: 'US',
      date: '2014-01-10',
      type: 'THEATRICAL',
      cite: [
        { excerpt: 'Her will be released on the 10th January in the USA' },
        {
          field: 'date',
          kind: 'INFERRED',
          excerpt: 'the 10th January',
          note: "Day and month are stated; the year is not. 2014 is inferred from the future tense ('will be released') of an article written in the awards season before it.",
        },
        {
          field: 'type',
          kind: 'INFERRED',
          excerpt: 'will be released',
          note: 'The article says only "released"; read as the general theatrical release.',
        },
      ],
    },
    {
      film: 'her',
      country: 'GB',
      date: '2014-02-14',
      type: 'THEATRICAL',
      cite: [
        { excerpt: 'the 14th February in the UK' },
        {
          field: 'date',
          kind: 'INFERRED',
          excerpt: 'the 14th February',
          note: 'Day and month are stated; the year is inferred as for the US release, which the article places first.',
        },
        {
          field: 'type',
          kind: 'INFERRED',
          excerpt: 'will be released',
          note: 'The article says only "released"; read as the general theatrical release.',
        },
      ],
    },
  ],
};

import { builder } from '../builder.ts';
import type { CitationKind, CreditKind, Department, ReleaseType } from '../generated/prisma/enums.ts';

// String enums with a description per value; `satisfies` keeps them in step with the Prisma enums.

export const CreditKindEnum = builder.enumType('CreditKind', {
  description: 'CAST: on screen or voice. CREW: behind the camera.',
  values: {
    CAST: { description: 'A part played on screen or voiced.' },
    CREW: { description: 'A job behind the camera (directing, writing, music …).' },
  } as const satisfies Record<CreditKind, { description: string }>,
});

export const DepartmentEnum = builder.enumType('Department', {
  description: 'The department a credit belongs to (TMDB-style departments).',
  values: {
    ACTING: { description: 'Cast: every acting and voice credit.' },
    DIRECTING: { description: 'Director, co-director, assistant director …' },
    WRITING: { description: 'Screenplay, story, novel the film is based on …' },
    PRODUCTION: { description: 'Producers, casting, production management.' },
    CAMERA: { description: 'Cinematography and camera crew.' },
    EDITING: { description: 'Film editors.' },
    SOUND: { description: 'Composer, music, sound design and mixing.' },
    ART: { description: 'Production design, art direction, set decoration.' },
    COSTUME_AND_MAKEUP: { description: 'Costume design, makeup, hair.' },
    VISUAL_EFFECTS: { description: 'Visual effects supervision and artists.' },
    CREW: { description: 'Any other crew job (stunts, drivers …).' },
  } as const satisfies Record<Department, { description: string }>,
});

export const ReleaseTypeEnum = builder.enumType('ReleaseType', {
  description: 'How a film reached audiences in a country.',
  values: {
    PREMIERE: { description: 'A premiere (festival or gala), before the release proper.' },
    LIMITED: { description: 'A theatrical release in few cinemas.' },
    THEATRICAL: { description: 'A wide theatrical release.' },
    DIGITAL: { description: 'Streaming, download or video on demand.' },
    PHYSICAL: { description: 'DVD, Blu-ray or other physical media.' },
    TV: { description: 'A television broadcast.' },
  } as const satisfies Record<ReleaseType, { description: string }>,
});

export const CitationKindEnum = builder.enumType('CitationKind', {
  description: 'STATED: the excerpt says it. INFERRED: reasoned from the excerpt; see `note`.',
  values: {
    STATED: { description: 'The excerpt states the fact.' },
    INFERRED: { description: 'The fact is reasoned from the excerpt; `note` says how.' },
  } as const satisfies Record<CitationKind, { description: string }>,
});

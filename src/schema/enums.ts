import { builder } from '../builder.ts';
import { CitationKind, CreditKind, Department, ReleaseType } from '../generated/prisma/enums.ts';

export const CreditKindEnum = builder.enumType(CreditKind, {
  name: 'CreditKind',
  description: 'CAST: on screen or voice. CREW: behind the camera.',
});

export const DepartmentEnum = builder.enumType(Department, { name: 'Department' });

export const ReleaseTypeEnum = builder.enumType(ReleaseType, {
  name: 'ReleaseType',
  description: 'How a film reached audiences in a country.',
});

export const CitationKindEnum = builder.enumType(CitationKind, {
  name: 'CitationKind',
  description: 'STATED: the excerpt says it. INFERRED: reasoned from the excerpt; see `note`.',
});

import type { OrgSettings } from '../ports.ts';
import { DEFAULT_COMMENTARY_SECTIONS } from '../domain/commentary.ts';

/** Trafford's three exception-report questions (Annual Delivery Plan reports). */
export const TRAFFORD_QUESTIONS = [
  'Why is performance at the current level?',
  'What difference does this make – the implications of not meeting target?',
  'How can we make sure things get better?',
];

/** Cheshire West and Chester's template, a configurable alternative. */
export const CHESHIRE_WEST_QUESTIONS = [
  'Explanation of current performance position',
  'Mitigating actions',
  'Future performance trajectory',
];

export const DEFAULT_ORG: OrgSettings = {
  name: 'Council',
  fyStartMonth: 4,
  tolerance: { kind: 'relative', value: 10 },
  dotBasis: 'previous',
  maintainedBand: { kind: 'precision' },
  exceptionQuestions: TRAFFORD_QUESTIONS,
  exceptionForAmber: true,
  alertOnDeclining: true,
  chaseCadence: [0, 3, 7],
  escalateAfter: 3,
  timeZone: 'Europe/London',
  collectFrom: null,
  collectingSince: null,
  bankHolidays: 'england-and-wales',
  actionProgress: 'plan',
  actionWord: 'action',
  riskScale: 5,
  riskBands: null,
  riskAppetite: null,
  latestAvailable: true,
  commentarySections: DEFAULT_COMMENTARY_SECTIONS,
  commentaryInitials: false,
  comparatorArea: null,
  comparatorGroup: null,
};

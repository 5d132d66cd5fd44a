// The demo organisation's actions and milestones, copied here from reports councils published —
// Halton's Key Milestones for economic prosperity with their supporting
// commentary, and Trafford's children's improvement work-streams (Jan 2020), re-dated into the demo's
// year (2017/18) and given to the demo's themes and people — some on target, one at risk, one
// re-phased, one overdue, one delivered and one with no update yet, so every list and the report
// have something to show on the demo's date (15 January 2018: 2017/18 Q3 is being reported) — and
// one milestone falling overdue between the day its figures were given and that date, so a channel
// subscribed to `actions` is told of it then.
import type { RegisterAction } from '../register/types.ts';

type DemoAction = Omit<RegisterAction, 'given' | 'description' | 'start' | 'originalDue' | 'rephaseReason' | 'isKey' | 'active' | 'ownerEmail' | 'deputyEmail'> &
  Partial<Pick<RegisterAction, 'start' | 'originalDue' | 'rephaseReason' | 'isKey'>> & {
    /** The demo theme's slug: its owner and deputy take the action. */
    themeSlug: string;
  };

const Q3 = '2017/18 Q3';

export const DEMO_ACTIONS: DemoAction[] = [
  {
    ref: 'EEP 02',
    kind: 'milestone',
    title: 'Deliver the BID Year 1 action plan by March 2018',
    theme: null,
    themeSlug: 'housing-growth',
    due: '2018-03-31',
    isKey: true,
    indicators: ['vacant-town-centre-units', 'business-starts'],
    updates: [{ periodKey: Q3, progress: 'on_target', percentComplete: 70, commentary: 'All outputs associated with the BID Year 1 Action Plan are on programme and on budget.' }],
  },
  {
    ref: 'EEP 03',
    kind: 'milestone',
    title: 'Deliver the Work Programme through sub-contracts with the Prime Contractors, in line with the contract',
    theme: null,
    themeSlug: 'housing-growth',
    due: '2018-03-31',
    indicators: ['residents-in-employment', 'benefit-claimants'],
    updates: [
      {
        periodKey: Q3,
        progress: 'at_risk',
        percentComplete: null,
        commentary: 'Job start and job outcome targets for one Prime Contractor were achieved in the quarter. Performance on the other contract was slightly behind target, and a performance development plan was implemented.',
      },
    ],
  },
  {
    ref: 'HG 04',
    kind: 'action',
    title: 'Adopt the Town Centre Action Plan',
    theme: null,
    themeSlug: 'housing-growth',
    due: '2017-12-31',
    indicators: ['vacant-town-centre-units'],
    updates: [],
  },
  {
    ref: 'CIP-WS1',
    kind: 'action',
    title: 'Early Help offer: consult multi-agency partners on the proposed Early Help Offers',
    theme: null,
    themeSlug: 'co-designed-services',
    start: '2017-10-01',
    due: '2018-03-31',
    isKey: true,
    indicators: ['repeat-referrals', 'repeat-child-protection-plans'],
    updates: [{ periodKey: Q3, progress: 'on_target', percentComplete: 50, commentary: 'A multi-agency group from health, police, schools, commissioning and the voluntary sector is attending forums to consult on a series of proposed Early Help Offers.' }],
  },
  {
    ref: 'CIP-WS2',
    kind: 'action',
    title: 'Front Door: split the First Response Team into screening and assessment teams',
    theme: null,
    themeSlug: 'co-designed-services',
    start: '2017-07-01',
    due: '2017-12-31',
    indicators: ['repeat-referrals'],
    updates: [{ periodKey: Q3, progress: 'delivered', percentComplete: 100, commentary: 'The First Response Team has split its front door resource into a screening team and an assessment team; the impact is being monitored and outcomes are positive.' }],
  },
  {
    ref: 'CIP-WS6',
    kind: 'milestone',
    title: 'Write a Communication and Engagement Strategy',
    theme: null,
    themeSlug: 'co-designed-services',
    due: '2018-02-28',
    originalDue: '2017-12-31',
    rephaseReason: 'Draft complete; sign-off moved to the February Improvement Board',
    indicators: [],
    updates: [{ periodKey: Q3, progress: 'on_target', percentComplete: 90, commentary: 'Stakeholder mapping with the Steering Group is complete and the strategy is in draft.' }],
  },
  {
    // Due on the Friday before the demo's date, when its figures were given: the demo's alert-actions
    // baseline (src/demo/demo.ts) has it on target, so on 15 January it is news to #performance, overdue.
    ref: 'CIP-WS8',
    kind: 'milestone',
    title: 'Aftercare: share the Aftercare Survey results with the team and build them into the new team plan',
    theme: null,
    themeSlug: 'co-designed-services',
    due: '2018-01-12',
    indicators: [],
    updates: [{ periodKey: Q3, progress: 'on_target', percentComplete: 80, commentary: 'Results of the Aftercare Survey have been shared with Service Managers, who will share them with the team; they will be fed into the new team plan.' }],
  },
  {
    ref: 'CIP-WS4',
    kind: 'action',
    title: 'Performance clinics: record children’s cultural, religious and identity needs in the case management system',
    theme: null,
    themeSlug: 'co-designed-services',
    due: '2018-03-31',
    indicators: ['looked-after-children'],
    updates: [{ periodKey: Q3, progress: 'off_track', percentComplete: 20, commentary: 'The performance system to support the Front Door is not yet configured, so the clinics cannot report on these needs yet.' }],
  },
  {
    ref: 'SC 01',
    kind: 'action',
    title: 'Roll out the Thrive volunteering portal to every locality',
    theme: null,
    themeSlug: 'strong-communities',
    due: '2018-06-30',
    indicators: ['new-volunteers', 'third-sector-support'],
    updates: [{ periodKey: Q3, progress: 'on_target', percentComplete: 60, commentary: 'Live in three of the four localities; the last goes live in April.' }],
  },
  {
    ref: 'SC 02',
    kind: 'action',
    title: 'Review attendance management and long-term absence cases',
    theme: null,
    themeSlug: 'strong-communities',
    due: '2018-03-31',
    indicators: ['sickness-absence'],
    updates: [],
  },
];

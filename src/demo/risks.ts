// The demo organisation's risk register: the ten risks of Trafford's children's improvement programme
// (CIP01–CIP10, as its Director of Children's Services progress report of January 2020 lists them),
// re-dated into the demo's year and given to the co-designed services theme's people. The report
// draws them as a heat map without printing the scores: every likelihood, impact and review here is
// ILLUSTRATIVE — plausible for the risk's description, not Trafford's. Two reviews are due on the
// demo's date (CIP06 and CIP08, last reviewed in October on a quarterly cycle); CIP01, CIP02, CIP05
// and CIP09 are above the default appetite (scores above 9).
import type { RegisterRisk } from '../register/types.ts';

type DemoRisk = Omit<RegisterRisk, 'theme' | 'ownerEmail' | 'deputyEmail' | 'description' | 'active' | 'reviewMonths'> & { themeSlug: string };

const THEME = 'co-designed-services';
const at = (likelihood: number, impact: number) => ({ likelihood, impact });
const review = (reviewedOn: string, likelihood: number, impact: number, commentary: string) => ({ reviewedOn, likelihood, impact, commentary });

export const DEMO_RISKS: DemoRisk[] = [
  {
    ref: 'CIP01',
    title: 'Lack of capacity to manage Early Help cases',
    themeSlug: THEME,
    controls: 'Early Help triage in First Response; monthly caseload reports by neighbourhood',
    inherent: at(5, 4),
    target: at(2, 3),
    actions: ['CIP-WS1'],
    indicators: ['repeat-referrals'],
    reviews: [review('2017-09-29', 4, 4, 'Early Help caseloads above the level the teams can hold.'), review('2017-12-15', 4, 3, 'Triage in First Response is reducing inappropriate referrals to Early Help.')],
  },
  {
    ref: 'CIP02',
    title: 'Lack of performance system to support Front Door and Early Help',
    themeSlug: THEME,
    controls: 'Interim manual reporting from the case management system',
    inherent: at(4, 4),
    target: at(2, 2),
    actions: ['CIP-WS4'],
    indicators: [],
    reviews: [review('2017-09-29', 3, 4, 'Configuration work scheduled.'), review('2017-12-15', 4, 4, 'Configuration has slipped: the clinics cannot yet report on identity needs.')],
  },
  {
    ref: 'CIP03',
    title: 'Lack of project support for Early Help',
    themeSlug: THEME,
    controls: 'Programme office support shared with the improvement programme',
    inherent: at(3, 3),
    target: at(2, 2),
    actions: [],
    indicators: [],
    reviews: [review('2017-12-15', 2, 3, 'A project officer is in post until March.')],
  },
  {
    ref: 'CIP04',
    title: 'Incorrect configuration of Front Door',
    themeSlug: THEME,
    controls: 'Screening and assessment teams split; decisions audited monthly',
    inherent: at(3, 4),
    target: at(1, 4),
    actions: ['CIP-WS2'],
    indicators: ['repeat-referrals'],
    reviews: [review('2017-12-15', 2, 4, 'The new Front Door configuration is in place and outcomes are positive.')],
  },
  {
    ref: 'CIP05',
    title: 'Resource and capacity to deliver a quality service',
    themeSlug: THEME,
    controls: 'Recruitment and retention offer; agency cover approved to March',
    inherent: at(5, 5),
    target: at(3, 4),
    actions: [],
    indicators: ['looked-after-children', 'repeat-child-protection-plans'],
    reviews: [review('2017-09-29', 4, 5, 'Agency headcount very high; turnover above target.'), review('2017-12-15', 4, 5, 'Turnover still above target and rising; agency spend high.')],
  },
  {
    ref: 'CIP06',
    title: 'Communication and Engagement',
    themeSlug: THEME,
    controls: 'Stakeholder mapping with the Steering Group',
    inherent: at(3, 3),
    target: at(2, 2),
    actions: ['CIP-WS6'],
    indicators: [],
    reviews: [review('2017-10-10', 3, 3, 'Stakeholder mapping complete; the strategy is being written.')],
  },
  {
    ref: 'CIP07',
    title: 'Special Guardianship Orders conversion rate',
    themeSlug: THEME,
    controls: 'Permanence tracking meeting',
    inherent: at(3, 3),
    target: at(2, 2),
    actions: [],
    indicators: ['looked-after-children'],
    reviews: [review('2017-12-15', 3, 2, 'Conversions on track at the permanence tracking meeting.')],
  },
  {
    ref: 'CIP08',
    title: 'Closing the loop on quality of service',
    themeSlug: THEME,
    controls: 'Aftercare survey results shared with service managers',
    inherent: at(3, 4),
    target: at(2, 3),
    actions: [],
    indicators: [],
    reviews: [review('2017-10-06', 3, 3, 'Survey results are being fed into the new team plan.')],
  },
  {
    ref: 'CIP09',
    title: 'Variable Assessment Practice',
    themeSlug: THEME,
    controls: 'Practice standards; monthly case audits',
    inherent: at(4, 4),
    target: at(2, 3),
    actions: [],
    indicators: ['repeat-referrals'],
    reviews: [review('2017-12-15', 3, 4, 'Audits still find assessments of variable quality.')],
  },
  {
    ref: 'CIP10',
    title: 'Potential gap in service delivery for Early Help',
    themeSlug: THEME,
    controls: 'Consultation with partners on the Early Help Offers',
    inherent: at(3, 4),
    target: at(2, 2),
    actions: ['CIP-WS1'],
    indicators: [],
    reviews: [review('2017-12-15', 2, 4, 'Partners engaged in the consultation on the new offers.')],
  },
];

// The demo organisation's commentary for 2017/18 Q3, copied here from reports councils published and
// given to the demo's directors: in Trafford's sections (Key messages / Doing well / Could do better,
// the organisation's setting on the demo). Housing and growth, where Halton's economic milestones sit,
// has Halton's key developments text from its Children & Enterprise directorate report, 2013/14 Q2
// (2.12 European Programme 2007-13 and 2.13 Regional Growth Fund, written by "WR"), as its key
// messages and what is doing well; the co-designed services theme, where Trafford's children's
// improvement work-streams sit, has Trafford's children's services progress report (January 2020):
// its Key Messages, Doing well and Could do better, as published. Both submitted; every other theme's
// and the whole report's are owed, so on the demo's date (15 January 2018) their directors and the
// performance admin are chased for them.
import type { CommentarySection } from '../domain/commentary.ts';
import { COMMENTARY_PRESETS } from '../domain/commentary.ts';

export const DEMO_COMMENTARY_STYLE = COMMENTARY_PRESETS.trafford;

export const DEMO_COMMENTARY: { themeSlug: string; sections: CommentarySection[] }[] = [
  {
    themeSlug: 'housing-growth',
    sections: [
      {
        heading: 'Key messages',
        text: [
          'The Business Improvement and Growth (BIG) Team have been managing the Halton element of the pan-Merseyside European Regional Development Fund 4.2 Merseyside Business Support Programme for almost 12 months. The programme supports local eligible small and medium enterprises (SME) who have been trading for twelve months.',
          'The Liverpool City Region Business Growth Grant scheme has been soft launched and can provide a grant of between £0 and £750,000 across the city region based on a private sector leverage ratio of 5:1 and the creation of sustainable jobs. A report will be presented to the Executive Board seeking approval to sign the formal agreement with the Liverpool City Region Local Enterprise Partnership to roll out the programme.',
        ].join('\n'),
      },
      {
        heading: 'Doing well',
        text: [
          '- Received 131 enquiries since November 2012',
          '- Actively assisted 77 businesses who are receiving assistance via the programme either in the initial diagnostic phase or the subsequent specialist intervention phase',
          "Feedback from businesses has been very positive to date. The programme also recently underwent two audits covering business files, expenditure and compliance. The project was described as 'a beacon of good practice'.",
        ].join('\n'),
      },
      {
        heading: 'Could do better',
        text: 'Undertaken a comprehensive expenditure re-profile to extend the end date for financial completion of the programme from September 2014 to March 2015. This means that the programme can support additional eligible local SMEs.',
      },
    ],
  },
  {
    themeSlug: 'co-designed-services',
    sections: [
      {
        heading: 'Key messages',
        text: [
          '- As our knowledge of both ours and our partner’s services matures, we are becoming more aware of the areas which require continued improvement and also those areas which present new challenges, which also demand a response. Focus will now shift toward embedding change, quantifying impact and planning for a sustainable legacy of continuous improvement',
          '- Progress continues across the 9 work-streams with the majority of tasks either complete, on target or being managed within agreed tolerance levels. Where there have been delays or issues around delivery, these have been noted in either the highlight report itself or in the risk summary',
        ].join('\n'),
      },
      {
        heading: 'Doing well',
        text: [
          '- CP plans open for more than 2 years and the current rate of CP re-plans are both performing well, at levels not seen for a number of years and on current levels, better than comparators',
          '- Team caseloads are now lower (17.4), than the target levels we set for the long-term. The target was to have 1 manager, with 6 workers holding 20 cases each.',
        ].join('\n'),
      },
      {
        heading: 'Could do better',
        text: [
          '- Some LAC health measures, most notably the timeliness of Initial Health Assessments, continue to perform below the levels we would expect.',
          '- The Agency headcount remains very high. As a consequence spend in this area is high. Staff turnover is at a level higher (worse) than target and continuing to deteriorate',
        ].join('\n'),
      },
    ],
  },
];

// Commentary's pure rules (src/domain/commentary.ts): the councils' presets and headings typed as a
// setting, initials as Halton prints them, paragraphs signed once, sections kept when the setting
// changes, and which section loosely typed words mean.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialsOf, matchSection, readSections, sameCommentary, sectionsFor, signedParagraphs } from '../../../src/domain/commentary.ts';

describe('commentary', () => {
  it('reads a council’s preset or headings of its own', () => {
    expect(readSections('Halton')).toEqual({ ok: true, style: { sections: ['Key developments', 'Emerging issues'], initials: true } });
    expect(readSections('trafford')).toMatchObject({ style: { sections: ['Key messages', 'Doing well', 'Could do better'], initials: false } });
    expect(readSections('Cheshire West and Chester')).toMatchObject({ style: { sections: ['Areas of positive performance', 'Areas of underperformance', 'Looking forward'] } });
    expect(readSections(' Highlights ;  Risks | Next  quarter ')).toEqual({ ok: true, style: { sections: ['Highlights', 'Risks', 'Next quarter'] } });
    expect(readSections('a; A')).toMatchObject({ ok: false, error: '"A" is given twice' });
    expect(readSections('; ;')).toMatchObject({ ok: false });
    expect(readSections('1;2;3;4;5;6;7')).toMatchObject({ ok: false, error: 'at most 6 sections — got 7' });
  });

  it('gives initials as Halton prints them', () => {
    expect(initialsOf('Tom Brennan')).toBe('TB');
    expect(initialsOf('Dr. Aisha Malik')).toBe('AM');
    expect(initialsOf("Mary-Jane O'Neil")).toBe('MJON');
    expect(initialsOf('  sian  jones ')).toBe('SJ');
    expect(initialsOf('Priya Shah (interim)')).toBe('PS');
  });

  it('signs each paragraph once, leaving one already signed', () => {
    expect(signedParagraphs('First.\n\n  Second. (TC)\r\nThird.', 'TC')).toEqual(['First. (TC)', 'Second. (TC)', 'Third. (TC)']);
    expect(signedParagraphs('First.', null)).toEqual(['First.']);
    fc.assert(fc.property(fc.string(), (t) => signedParagraphs(signedParagraphs(t, 'AB').join('\n'), 'AB').join('\n') === signedParagraphs(t, 'AB').join('\n')));
  });

  it('keeps what was written when the headings change, matched without case, and never loses text under a heading no longer used', () => {
    const written = [
      { heading: 'doing well', text: 'Caseloads are lower.' },
      { heading: 'Old heading', text: 'Kept.' },
      { heading: 'Empty old', text: '  ' },
    ];
    expect(sectionsFor(['Key messages', 'Doing well'], written)).toEqual([
      { heading: 'Key messages', text: '' },
      { heading: 'Doing well', text: 'Caseloads are lower.' },
      { heading: 'Old heading', text: 'Kept.' },
    ]);
  });

  it('knows the section meant by loosely typed words, and not when they could be two', () => {
    const h = ['Areas of positive performance', 'Areas of underperformance', 'Looking forward'];
    expect(matchSection(h, 'looking')).toBe('Looking forward');
    expect(matchSection(h, 'AREAS OF  positive')).toBe('Areas of positive performance');
    expect(matchSection(h, 'areas')).toBeNull();
    expect(matchSection(h, 'x')).toBeNull();
  });

  it('is the same commentary only with the same state and text', () => {
    const a = { state: 'draft' as const, sections: [{ heading: 'A', text: 'x ' }] };
    expect(sameCommentary(a, { ...a, sections: [{ heading: 'A', text: 'x' }] })).toBe(true);
    expect(sameCommentary(a, { ...a, state: 'submitted' })).toBe(false);
  });
});

// Calculated indicators' formulas: what the parser reads and refuses (with where), what evaluation
// gives — and "not yet calculable" with the missing inputs or the zero divisor — cycles, the order of
// calculation and the cheap unit check. Property tests: any formula written back reads as itself, and
// no text makes the parser throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculationOrder, evaluateFormula, findCycle, formatFormula, formulaRefs, parseFormula, ratioFormula, renameRefs, unitProblem, type Formula } from '../../../src/domain/formula.ts';

fc.configureGlobal({ seed: Number(process.env.KPI_FUZZ_SEED ?? 20180115), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 200) });

const parsed = (text: string): Formula => {
  const p = parseFormula(text);
  if (!p.ok) throw new Error(p.error);
  return p.formula;
};
const values = (m: Record<string, number>) => (r: string) => m[r];

describe('parseFormula', () => {
  it('reads a percentage of two counts, names with hyphens kept whole', () => {
    const f = parsed('delayed-transfers / bed-days * 100');
    expect(formulaRefs(f)).toEqual(['delayed-transfers', 'bed-days']);
    expect(evaluateFormula(f, values({ 'delayed-transfers': 12, 'bed-days': 480 }))).toEqual({ ok: true, value: 2.5 });
  });

  it('honours precedence, parentheses, unary minus and the signs councils type (× ÷ x)', () => {
    expect(evaluateFormula(parsed('1 + 2 * 3'), values({}))).toEqual({ ok: true, value: 7 });
    expect(evaluateFormula(parsed('(1 + 2) * 3'), values({}))).toEqual({ ok: true, value: 9 });
    expect(evaluateFormula(parsed('10 - 4 - 3'), values({}))).toEqual({ ok: true, value: 3 });
    expect(evaluateFormula(parsed('-a + 1'), values({ a: 4 }))).toEqual({ ok: true, value: -3 });
    expect(evaluateFormula(parsed('a ÷ b × 100'), values({ a: 1, b: 4 }))).toEqual({ ok: true, value: 25 });
    expect(evaluateFormula(parsed('a / b x 100'), values({ a: 1, b: 4 }))).toEqual({ ok: true, value: 25 });
    expect(evaluateFormula(parsed('1,000 / a'), values({ a: 4 }))).toEqual({ ok: true, value: 250 });
    // After a closing bracket too: the way a percentage is most often written.
    expect(evaluateFormula(parsed('(a / b) x 100'), values({ a: 1, b: 4 }))).toEqual({ ok: true, value: 25 });
    expect(evaluateFormula(parsed('[BV 12i] x 100'), values({ 'BV 12i': 0.25 }))).toEqual({ ok: true, value: 25 });
  });

  it('reads a bracketed reference as the council prints it', () => {
    const f = parsed('[BV 12i] / [NI 154] * 100');
    expect(formulaRefs(f)).toEqual(['BV 12i', 'NI 154']);
    expect(formatFormula(f)).toBe('[BV 12i] / [NI 154] * 100');
  });

  it('refuses what is not a formula, saying what and where', () => {
    expect(parseFormula('')).toEqual({ ok: false, error: 'the formula is empty' });
    expect(parseFormula('a / ')).toEqual({ ok: false, error: 'the formula ends where a name or a number was expected' });
    expect(parseFormula('(a / b')).toEqual({ ok: false, error: 'a "(" has no ")" (at the end)' });
    expect(parseFormula('a b')).toEqual({ ok: false, error: '"b" at character 3 follows a complete formula (is an operator missing? write minus with spaces: "a - b")' });
    expect(parseFormula('a / b; drop')).toEqual({ ok: false, error: '";" at character 6 is not part of a formula (use indicator names, numbers, + - * / and brackets)' });
    expect(parseFormula('[BV 12i / b')).toEqual({ ok: false, error: 'a "[" at character 1 has no "]" after it' });
    expect(parseFormula('a * / b')).toEqual({ ok: false, error: '"/" at character 5 where a name or a number was expected' });
    expect(parseFormula('('.repeat(60) + 'a' + ')'.repeat(60))).toEqual({ ok: false, error: 'the formula nests too deeply' });
  });

  it('never throws, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab-c 1.2,+*/()[]×÷x_-'.split(''), 'grapheme'), maxLength: 80 }), (s) => {
        const p = parseFormula(s);
        expect(typeof p.ok).toBe('boolean');
      }),
    );
  });
});

/** Random formulas over a few names: the property tests' material. */
const formulaArb: fc.Arbitrary<Formula> = fc.letrec<{ f: Formula }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 1000 }).map((value): Formula => ({ kind: 'number', value })),
    fc.constantFrom('sickness-days', 'fte', 'BV 12i', 'a').map((ref): Formula => ({ kind: 'ref', ref })),
    tie('f').map((arg): Formula => ({ kind: 'neg', arg })),
    fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), left: tie('f'), right: tie('f') }).map((o): Formula => ({ kind: 'op', ...o })),
  ),
})).f;

/** The direct meaning of a formula, to compare the parser's reading with. */
function direct(f: Formula, env: Record<string, number>): number {
  switch (f.kind) {
    case 'number':
      return f.value;
    case 'ref':
      return env[f.ref]!;
    case 'neg':
      return -direct(f.arg, env);
    case 'op': {
      const l = direct(f.left, env);
      const r = direct(f.right, env);
      return f.op === '+' ? l + r : f.op === '-' ? l - r : f.op === '*' ? l * r : l / r;
    }
  }
}

describe('formulas written back', () => {
  const env = { 'sickness-days': 810, fte: 96.5, 'BV 12i': 8.4, a: -3 };

  it('read as the same formula, and evaluate to the same number', () => {
    fc.assert(
      fc.property(formulaArb, (f) => {
        const again = parsed(formatFormula(f));
        expect(formatFormula(again)).toBe(formatFormula(f));
        const want = direct(f, env);
        const got = evaluateFormula(again, values(env));
        if (Number.isFinite(want)) {
          expect(got.ok).toBe(true);
          if (got.ok) expect(got.value).toBeCloseTo(want, 6);
        } else expect(got.ok).toBe(false);
      }),
    );
  });

  it('rename every name and nothing else', () => {
    fc.assert(
      fc.property(formulaArb, (f) => {
        const renamed = renameRefs(f, (r) => `${r.toLowerCase().replace(/ /g, '-')}-x`);
        expect(formulaRefs(renamed)).toEqual(formulaRefs(f).map((r) => `${r.toLowerCase().replace(/ /g, '-')}-x`));
      }),
    );
  });
});

describe('evaluateFormula', () => {
  it('is not yet calculable while an input has no value, naming each missing input once', () => {
    expect(evaluateFormula(parsed('a / b + a'), values({ b: 2 }))).toEqual({ ok: false, missing: ['a'], divisionByZero: [] });
    expect(evaluateFormula(parsed('a / b'), () => null)).toEqual({ ok: false, missing: ['a', 'b'], divisionByZero: [] });
  });

  it('is not calculable when it divides by zero, naming the inputs of the divisor', () => {
    expect(evaluateFormula(parsed('a / b * 100'), values({ a: 3, b: 0 }))).toEqual({ ok: false, missing: [], divisionByZero: ['b'] });
    expect(evaluateFormula(parsed('a / (b - c)'), values({ a: 3, b: 2, c: 2 }))).toEqual({ ok: false, missing: [], divisionByZero: ['b', 'c'] });
  });

  it('gives numerator / denominator × 100 for a percentage', () => {
    expect(formatFormula(ratioFormula('collected', 'due', 100))).toBe('collected / due * 100');
    expect(evaluateFormula(ratioFormula('collected', 'due', 100), values({ collected: 97, due: 100 }))).toEqual({ ok: true, value: 97 });
    expect(formatFormula(ratioFormula('collected', 'due'))).toBe('collected / due');
  });
});

describe('findCycle and calculationOrder', () => {
  it('finds a self-reference and a longer cycle, as the path that closes it', () => {
    expect(findCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']);
    expect(findCycle(new Map([['a', ['b', 'x']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b']], ['b', ['x']]]))).toBeNull();
  });

  it('orders calculated indicators after the calculated ones they read', () => {
    expect(calculationOrder(new Map([['total', ['part', 'other']], ['part', ['x', 'y']]]))).toEqual(['part', 'total']);
    expect(calculationOrder(new Map([['a', ['b']], ['b', ['a']], ['c', ['x']]]))).toEqual(['c']);
  });

  it('puts every calculated indicator after those it reads, for any acyclic graph', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }), { minLength: 1, maxLength: 10 }), (edges) => {
        // Only edges to a higher number: acyclic by construction.
        const g = new Map(edges.map((to, i) => [`n${i}`, to.filter((t) => t > i).map((t) => `n${t}`)]));
        expect(findCycle(g)).toBeNull();
        const order = calculationOrder(g);
        expect(order).toHaveLength(g.size);
        for (const [n, reads] of g) for (const m of reads) if (g.has(m)) expect(order.indexOf(m)).toBeLessThan(order.indexOf(n));
      }),
    );
  });
});

describe('unitProblem', () => {
  const units: Record<string, string> = { days: 'days', fte: 'FTE', pct: '%', pct2: '%', count: 'number', due: 'number' };
  it('accepts a percentage of two counts and a rate per FTE', () => {
    expect(unitProblem(parsed('count / due * 100'), (r) => units[r], '%')).toBeNull();
    expect(unitProblem(parsed('days / fte'), (r) => units[r], 'days per FTE')).toBeNull();
  });
  it('refuses days + a percentage, and a sum of percentages that is not one', () => {
    expect(unitProblem(parsed('days + pct'), (r) => units[r], 'number')).toBe('it adds or subtracts values in different units (days and %)');
    expect(unitProblem(parsed('pct - pct2'), (r) => units[r], 'number')).toBe("it gives a percentage (its inputs are %) but the indicator's unit is number");
    expect(unitProblem(parsed('pct - pct2'), (r) => units[r], '%')).toBeNull();
  });
});

// Calculated indicators: a small formula over other indicators of the same period — slugs or
// bracketed references ([BV 12i]), numbers, + - * / (also × ÷), parentheses and unary minus — read
// by a tiny recursive-descent parser (no eval) and evaluated against the inputs' values. A hyphen
// inside a name belongs to it (sickness-absence): subtraction is written with spaces ("a - b").
// A numerator and a denominator are the formula "numerator / denominator", "× 100" for a percentage.

export type Formula =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; ref: string }
  | { kind: 'neg'; arg: Formula }
  | { kind: 'op'; op: '+' | '-' | '*' | '/'; left: Formula; right: Formula };

export type ParsedFormula = { ok: true; formula: Formula } | { ok: false; error: string };

/** The longest formula kept; a register's formulas are a line. */
export const MAX_FORMULA_LENGTH = 500;
const MAX_DEPTH = 50;

type Token = { kind: 'number'; value: number; at: number } | { kind: 'ref'; ref: string; at: number } | { kind: 'sym'; sym: '+' | '-' | '*' | '/' | '(' | ')'; at: number };

const SYMBOLS: Record<string, '+' | '-' | '*' | '/' | '(' | ')'> = { '+': '+', '-': '-', '−': '-', '*': '*', '×': '*', x: '*', '/': '/', '÷': '/', '(': '(', ')': ')' };

function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '[') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) return `a "[" at character ${i + 1} has no "]" after it`;
      const ref = text.slice(i + 1, end).trim();
      if (!ref) return `"[]" at character ${i + 1} names no indicator`;
      out.push({ kind: 'ref', ref, at: i });
      i = end + 1;
      continue;
    }
    const num = /^(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)/.exec(text.slice(i));
    if (num) {
      // A number followed by letters is a name (2nd-tier-count), not a number and a name.
      const name = /^[0-9][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*/.exec(text.slice(i));
      if (name && name[0].length > num[1]!.length && /[A-Za-z_]/.test(name[0])) {
        out.push({ kind: 'ref', ref: name[0], at: i });
        i += name[0].length;
        continue;
      }
      out.push({ kind: 'number', value: Number(num[1]!.replace(/,/g, '')), at: i });
      i += num[1]!.length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*/.exec(text.slice(i));
    // "x" alone after an operand (a name, a number, a closing bracket) is a multiplication sign (“(a / b) x 100”).
    const last = out.at(-1);
    if (name && !(name[0] === 'x' && last && (last.kind !== 'sym' || last.sym === ')'))) {
      out.push({ kind: 'ref', ref: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const sym = SYMBOLS[c];
    if (sym) {
      out.push({ kind: 'sym', sym, at: i });
      i++;
      continue;
    }
    return `"${c}" at character ${i + 1} is not part of a formula (use indicator names, numbers, + - * / and brackets)`;
  }
  return out;
}

/** Read a formula; the error says what and where, in words a performance officer can act on. */
export function parseFormula(text: string): ParsedFormula {
  if (text.length > MAX_FORMULA_LENGTH) return { ok: false, error: `the formula is ${text.length} characters; keep it under ${MAX_FORMULA_LENGTH}` };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  if (!tokens.length) return { ok: false, error: 'the formula is empty' };
  let pos = 0;
  const peek = () => tokens[pos];
  const where = (t: Token | undefined) => (t ? `at character ${t.at + 1}` : 'at the end');
  const fail = (msg: string): never => {
    throw new FormulaSyntax(msg);
  };
  const primary = (depth: number): Formula => {
    if (depth > MAX_DEPTH) fail('the formula nests too deeply');
    const t = tokens[pos++];
    if (!t) return fail('the formula ends where a name or a number was expected');
    if (t.kind === 'number') return { kind: 'number', value: t.value };
    if (t.kind === 'ref') return { kind: 'ref', ref: t.ref };
    if (t.sym === '-') return { kind: 'neg', arg: primary(depth + 1) };
    if (t.sym === '(') {
      const inner = sum(depth + 1);
      const close = tokens[pos++];
      if (!close || close.kind !== 'sym' || close.sym !== ')') fail(`a "(" has no ")" (${where(close)})`);
      return inner;
    }
    return fail(`"${t.sym}" ${where(t)} where a name or a number was expected`);
  };
  const product = (depth: number): Formula => {
    let left = primary(depth);
    for (let t = peek(); t?.kind === 'sym' && (t.sym === '*' || t.sym === '/'); t = peek()) {
      pos++;
      left = { kind: 'op', op: t.sym, left, right: primary(depth) };
    }
    return left;
  };
  const sum = (depth: number): Formula => {
    let left = product(depth);
    for (let t = peek(); t?.kind === 'sym' && (t.sym === '+' || t.sym === '-'); t = peek()) {
      pos++;
      left = { kind: 'op', op: t.sym, left, right: product(depth) };
    }
    return left;
  };
  try {
    const formula = sum(0);
    const rest = peek();
    if (rest) {
      const what = rest.kind === 'sym' ? `"${rest.sym}"` : rest.kind === 'ref' ? `"${rest.ref}"` : `"${rest.value}"`;
      return { ok: false, error: `${what} ${where(rest)} follows a complete formula (is an operator missing? write minus with spaces: "a - b")` };
    }
    return { ok: true, formula };
  } catch (e) {
    if (e instanceof FormulaSyntax) return { ok: false, error: e.message };
    throw e;
  }
}

class FormulaSyntax extends Error {}

/** The names a formula reads, each once, in the order written. */
export function formulaRefs(f: Formula): string[] {
  const out: string[] = [];
  const walk = (x: Formula): void => {
    if (x.kind === 'ref') {
      if (!out.includes(x.ref)) out.push(x.ref);
    } else if (x.kind === 'neg') walk(x.arg);
    else if (x.kind === 'op') {
      walk(x.left);
      walk(x.right);
    }
  };
  walk(f);
  return out;
}

export type Calculated =
  | { ok: true; value: number }
  /** Not yet calculable: the inputs with no value for the period, or a division by zero (the inputs that made it). */
  | { ok: false; missing: string[]; divisionByZero: string[] };

/** Evaluate a formula with each name's value for the period (undefined or null: none yet). */
export function evaluateFormula(f: Formula, valueOf: (ref: string) => number | null | undefined): Calculated {
  const missing = formulaRefs(f).filter((r) => {
    const v = valueOf(r);
    return v === null || v === undefined || !Number.isFinite(v);
  });
  if (missing.length) return { ok: false, missing, divisionByZero: [] };
  const zeroBy: string[] = [];
  const ev = (x: Formula): number => {
    switch (x.kind) {
      case 'number':
        return x.value;
      case 'ref':
        return valueOf(x.ref)!;
      case 'neg':
        return -ev(x.arg);
      case 'op': {
        const l = ev(x.left);
        const r = ev(x.right);
        if (x.op === '+') return l + r;
        if (x.op === '-') return l - r;
        if (x.op === '*') return l * r;
        if (r === 0) {
          zeroBy.push(...formulaRefs(x.right));
          return NaN;
        }
        return l / r;
      }
    }
  };
  const value = ev(f);
  if (zeroBy.length || !Number.isFinite(value)) return { ok: false, missing: [], divisionByZero: [...new Set(zeroBy)] };
  return { ok: true, value };
}

/** A formula written back as text: names as given (bracketed when they are not a bare name), minus with spaces. */
export function formatFormula(f: Formula, parentPrec = 0, rightSide = false): string {
  switch (f.kind) {
    case 'number':
      return String(f.value);
    case 'ref':
      return /^[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*$/.test(f.ref) && f.ref !== 'x' ? f.ref : `[${f.ref}]`;
    case 'neg':
      return `-${formatFormula(f.arg, 3)}`;
    case 'op': {
      const prec = f.op === '+' || f.op === '-' ? 1 : 2;
      const s = `${formatFormula(f.left, prec)} ${f.op} ${formatFormula(f.right, prec, true)}`;
      return prec < parentPrec || (prec === parentPrec && rightSide) ? `(${s})` : s;
    }
  }
}

/** The same formula with each name replaced (e.g. a reference by the indicator's slug). */
export function renameRefs(f: Formula, rename: (ref: string) => string): Formula {
  switch (f.kind) {
    case 'number':
      return f;
    case 'ref':
      return { kind: 'ref', ref: rename(f.ref) };
    case 'neg':
      return { kind: 'neg', arg: renameRefs(f.arg, rename) };
    case 'op':
      return { ...f, left: renameRefs(f.left, rename), right: renameRefs(f.right, rename) };
  }
}

/** A numerator and a denominator as a formula: "numerator / denominator", "× multiplier" unless it is 1. */
export function ratioFormula(numerator: string, denominator: string, multiplier = 1): Formula {
  const ratio: Formula = { kind: 'op', op: '/', left: { kind: 'ref', ref: numerator }, right: { kind: 'ref', ref: denominator } };
  return multiplier === 1 ? ratio : { kind: 'op', op: '*', left: ratio, right: { kind: 'number', value: multiplier } };
}

/**
 * The first cycle among calculated indicators (each name → the names its formula reads), as the
 * path that closes it ([a, b, a]); null when there is none. A self-reference is a cycle of one.
 */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    const s = state.get(n);
    if (s === 'done') return null;
    if (s === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of [...graph.keys()].sort()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

/**
 * Calculated indicators in the order they can be worked out: each after the calculated ones it
 * reads. Names in a cycle (refused at import) are left out.
 */
export function calculationOrder(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string): boolean => {
    const s = state.get(n);
    if (s === 'done') return true;
    if (s === 'open') return false;
    state.set(n, 'open');
    let ok = true;
    for (const m of graph.get(n) ?? []) if (graph.has(m) && !visit(m)) ok = false;
    state.set(n, 'done');
    if (ok) out.push(n);
    return ok;
  };
  for (const n of [...graph.keys()].sort()) visit(n);
  return out;
}

/**
 * A cheap check of a formula's units: a percentage (or a rate) from a ratio of inputs is fine, a sum
 * or difference of inputs in different units is not (days + %). Returns the problem in words, or null.
 */
export function unitProblem(f: Formula, unitOf: (ref: string) => string | undefined, resultUnit: string): string | null {
  const norm = (u: string) => u.trim().toLowerCase();
  // The unit of a sum's operands when it can be told cheaply (a name's unit; a product or quotient: unknown).
  const unitIn = (x: Formula): string | null => (x.kind === 'ref' ? (unitOf(x.ref) ?? null) : x.kind === 'neg' ? unitIn(x.arg) : x.kind === 'op' && (x.op === '+' || x.op === '-') ? sumUnit(x) : null);
  let problem: string | null = null;
  const sumUnit = (x: Formula & { kind: 'op' }): string | null => {
    const l = unitIn(x.left);
    const r = unitIn(x.right);
    if (l && r && norm(l) !== norm(r) && !problem) problem = `it adds or subtracts values in different units (${l} and ${r})`;
    return l && r && norm(l) === norm(r) ? l : null;
  };
  const walk = (x: Formula): void => {
    if (x.kind === 'neg') walk(x.arg);
    if (x.kind === 'op') {
      if (x.op === '+' || x.op === '-') sumUnit(x);
      walk(x.left);
      walk(x.right);
    }
  };
  walk(f);
  if (problem) return problem;
  // A bare sum of percentages giving a count (or the reverse) is the other mistake seen cheaply.
  const top = unitIn(f);
  if (top && norm(top) === '%' && norm(resultUnit) !== '%') return `it gives a percentage (its inputs are %) but the indicator's unit is ${resultUnit}`;
  return null;
}

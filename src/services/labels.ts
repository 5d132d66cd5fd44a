// Words and symbols for statuses and directions, the same on every platform.
import type { Direction, Status } from '../domain/types.ts';

const STATUS: Record<Status, { icon: string; word: string }> = {
  red: { icon: '🔴', word: 'Red' },
  amber: { icon: '🟠', word: 'Amber' },
  green: { icon: '🟢', word: 'Green' },
  in_measurement: { icon: '⚪', word: 'In measurement' },
  no_target: { icon: '⚪', word: 'No target' },
};

const DIRECTION: Record<Direction, { arrow: string; word: string }> = {
  improving: { arrow: '↑', word: 'Improving' },
  maintained: { arrow: '↔', word: 'Maintained' },
  declining: { arrow: '↓', word: 'Declining' },
};

export const statusIcon = (s: Status): string => STATUS[s].icon;
export const statusWord = (s: Status): string => STATUS[s].word;
export const statusLabel = (s: Status): string => `${STATUS[s].icon} ${STATUS[s].word}`;
export const directionArrow = (d: Direction | null): string => (d ? DIRECTION[d].arrow : '–');
export const directionLabel = (d: Direction | null): string => (d ? `${DIRECTION[d].arrow} ${DIRECTION[d].word}` : '– not comparable yet');

/** Worst first: red, amber, in measurement, no target, green. */
export const STATUS_ORDER: Status[] = ['red', 'amber', 'in_measurement', 'no_target', 'green'];

/** A year-end forecast at a glance: ✅ on course, ⚠️ a near miss (within the tolerance), 🔻 a miss. */
export const forecastIcon = (s: 'green' | 'amber' | 'red'): string => (s === 'green' ? '✅' : s === 'amber' ? '⚠️' : '🔻');

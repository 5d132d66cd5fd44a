// Alerting's evaluation stage alone: indicators read for their latest period, actions for the conditions
// that hold today — with the register's messy data (no value yet, a value for a period not begun, no
// update ever given, a blank start).
import { describe, expect, it } from 'vitest';
import type { ActionRecord, ActionUpdateRecord } from '../../../src/ports.ts';
import { readActions, readIndicators } from '../../../src/alerting/evaluation.ts';
import { history, indicator, org } from '../../support/builders.ts';

const action = (over: Partial<ActionRecord> = {}): ActionRecord => ({
  id: 1, ref: 'EEP 02', kind: 'milestone', title: 'Deliver the BID Year 1 action plan', description: null, themeId: 1, themeName: 'Economy', ownerId: null, deputyId: null, directorId: null,
  start: null, due: '2018-03-31', originalDue: '2018-03-31', rephaseReason: null, isKey: false, active: true, indicatorIds: [], latest: null, ...over,
});
const said = (progress: ActionUpdateRecord['progress'], id = 5): ActionUpdateRecord => ({ id, actionId: 1, periodKey: '2017/18 Q3', version: 1, progress, percentComplete: null, commentary: '', authorId: null, source: 'test', createdAt: new Date(0) });

describe('evaluation', () => {
  it('reads each indicator with a value for its latest begun period, and leaves out one with none', () => {
    const red = indicator({ id: 1, polarity: 'lower', unit: 'days' });
    const none = indicator({ id: 2 });
    const hs = new Map([[1, history(1, [['2017/18 Q2', 8.2], ['2017/18 Q3', 10.5], ['2018/19 Q1', 1]], [['2017/18 Q3', 8.5]])]]);
    const [r, ...rest] = readIndicators([red, none], hs, org(), '2018-02-05');
    expect(rest).toEqual([]);
    expect(r!.point).toMatchObject({ periodKey: '2017/18 Q3', status: 'red', value: 10.5, target: 8.5 });
  });

  it('reads the conditions that hold for each action today', () => {
    const today = '2018-04-03';
    const read = (a: Partial<ActionRecord>) => readActions([action(a)], org(), today)[0]!;
    expect(read({}).conditions).toEqual(['overdue']);
    expect(read({ latest: said('off_track') }).conditions).toEqual(['off_track', 'overdue']);
    expect(read({ due: '2018-09-30', latest: said('on_target') })).toMatchObject({ conditions: ['rephased'], detail: { progress: 'on_target', due: '2018-09-30', update: 5 } });
    expect(read({ due: '2018-06-30' }).conditions).toEqual([]);
    // Finished: nothing holds, however late; and nothing else is kept while nothing holds.
    expect(read({ latest: said('delivered') })).toMatchObject({ conditions: [], detail: {} });
    expect(read({ latest: said('no_longer_viable'), due: '2019-03-31' }).conditions).toEqual([]);
  });

  it('does not read an action due before collection began as overdue', () => {
    const o = org({ collectFrom: '2018/19 Q1' });
    expect(readActions([action({ due: '2018-03-31' }), action({ id: 2, due: '2018-04-01' })], o, '2018-05-01').map((r) => r.conditions)).toEqual([[], ['overdue']]);
  });
});

// Who is told what: channel subscriptions to alerts, the channels themselves, and reminders sent.
import type { LocalDate } from '../domain/types.ts';
import type { PlatformName } from './organisation.ts';

/** What a channel can be told about; none chosen: what the organisation alerts on (see alertEvents). `actions`: only when chosen. */
export type AlertEvent = 'red' | 'declining' | 'recovered' | 'forecast' | 'actions' | 'risks' | 'quartile';

export interface SubscriptionRecord {
  platform: PlatformName;
  channelId: string;
  themeId: number | null;
  indicatorId: number | null;
  /** Empty: the organisation's default (turned red, and declining when it alerts on declining). */
  events: AlertEvent[];
  channelName: string | null;
}

export interface NewSubscription extends SubscriptionRecord {
  createdById: number | null;
}

/** What a platform can do about a channel someone subscribes to alerts. */
export interface ChannelAccess {
  readonly platform: PlatformName;
  /** Make sure the bot can post there (joining it where the platform lets a bot join, e.g. a public channel); a refusal says what to do, in the platform's words. */
  prepare(channelId: string): Promise<{ ok: true; name: string | null } | { ok: false; reason: string }>;
  /** The channel's name for lists, when the platform says. */
  nameOf(channelId: string): Promise<string | null>;
}

export type ReminderKind = 'data' | 'exception';

export interface ReminderRecord {
  kind: ReminderKind;
  indicatorId: number;
  periodKey: string;
  personId: number;
  /** 0 owner (or the deputy standing in), 1 escalated to the deputy, 2 escalated to the director. */
  level: number;
  sentOn: LocalDate;
  /** The outbox message that carried it. */
  messageKey?: string | null;
}

/** A subject alerted on by the conditions that hold for it (indicators have status changes of their own; `quartile`: an indicator's standing among its comparator group). */
export type AlertSubject = 'action' | 'risk' | 'quartile';

/** A subject's conditions as recorded when they changed: each transition once (a unique key per subject). */
export interface ConditionChangeRecord {
  id: number;
  subject: AlertSubject;
  subjectId: number;
  /** What held (off_track, overdue, rephased…); empty: nothing. */
  conditions: string[];
  /** What the alert showed besides (progress, due date…). */
  detail: Record<string, string | number | null>;
  /** The change that began the alert this one belongs to; null when this one began it (or nothing holds, nothing did). */
  episodeId: number | null;
  observedAt: Date;
}

export interface NewConditionChange extends Omit<ConditionChangeRecord, 'id'> {
  /** Unique per subject: a retry or an overlapping run computing the same transition finds it taken. */
  transitionKey: string;
}

/** The condition changes of actions (and, next, risks): src/alerting/state.ts records them. */
export interface ConditionChangeStore {
  /** The latest change per subject of a kind (optionally of these subjects). */
  latest(subject: AlertSubject, subjectIds?: number[]): Promise<Map<number, ConditionChangeRecord>>;
  /** Record changes, each once: returns those recorded now (a transition already recorded is skipped). */
  record(changes: NewConditionChange[]): Promise<ConditionChangeRecord[]>;
}

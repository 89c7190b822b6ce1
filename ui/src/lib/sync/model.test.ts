import { describe, expect, it } from 'vitest';
import type { SyncSummary } from '../backend';
import {
  accountStatusLabel,
  applySyncEvent,
  changedAnything,
  formatInterval,
  formatWhen,
  intervalChoices,
  formatEta,
  formatStageCount,
  formatStageRate,
  initialView,
  stageFraction,
  stageLabel,
  stageState,
  STAGES,
  summaryErrors,
  syncStateLabel,
} from './model';

const counts = { added: 0, updated: 0, deleted: 0 };
const summary: SyncSummary = {
  mail: { ...counts, added: 3 },
  calendar: counts,
  accounts: [
    {
      email: 'me@example.com',
      mail: { ...counts, added: 3 },
      calendar: counts,
      status: 'connected',
      error_class: null,
      error: null,
      skipped: [],
    },
    {
      email: 'old@example.com',
      mail: counts,
      calendar: counts,
      status: 'reconnect_needed',
      error_class: 'reconnect_needed',
      error: 'Google refused the sign-in; reconnect the account',
      skipped: [],
    },
  ],
  errors: ['old@example.com: Google refused the sign-in; reconnect the account'],
};

describe('stage labels', () => {
  it('names every stage, in the order they run', () => {
    expect(STAGES.map(stageLabel)).toEqual([
      'Listing new mail',
      'Fetching mail',
      'Fetching calendar',
      'Computing insights',
    ]);
  });
});

describe('applySyncEvent', () => {
  it('follows a pass from start through its stages to the summary', () => {
    let view = applySyncEvent(initialView(), { kind: 'started', accounts: 1 });
    expect(view.phase).toBe('running');
    view = applySyncEvent(view, {
      kind: 'stage',
      account: 'me@example.com',
      stage: 'fetching_mail',
      done: 10,
      total: 40,
      rate: 5,
      eta_seconds: 6,
    });
    expect(view.account).toBe('me@example.com');
    expect(stageState(view, 'listing')).toBe('done');
    expect(stageState(view, 'fetching_mail')).toBe('active');
    expect(stageState(view, 'fetching_calendar')).toBe('pending');
    expect(stageFraction(view.stages.fetching_mail)).toBe(0.25);
    view = applySyncEvent(view, { kind: 'finished', summary });
    expect(view.phase).toBe('finished');
    expect(STAGES.map((stage) => stageState(view, stage))).toEqual(['done', 'done', 'done', 'done']);
  });

  it('never shows a count going backwards within a pass', () => {
    const stage = { kind: 'stage', account: 'a@x.org', stage: 'fetching_mail', total: 9, rate: 1, eta_seconds: null } as const;
    let view = applySyncEvent(initialView(), { ...stage, done: 7 });
    view = applySyncEvent(view, { ...stage, done: 5 });
    expect(view.stages.fetching_mail?.done).toBe(7);
  });

  it('keeps the account when the computing stage names none', () => {
    let view = applySyncEvent(initialView(), {
      kind: 'stage', account: 'a@x.org', stage: 'listing', done: 0, total: null, rate: 0, eta_seconds: null,
    });
    view = applySyncEvent(view, {
      kind: 'stage', account: '', stage: 'computing', done: 0, total: null, rate: 0, eta_seconds: null,
    });
    expect(view.account).toBe('a@x.org');
  });
});

describe('formatting', () => {
  it('says counts with and without a known total', () => {
    expect(formatStageCount('fetching_mail', { done: 1200, total: 2400, rate: 0, etaSeconds: null })).toBe(
      '1,200 of 2,400 messages',
    );
    expect(formatStageCount('fetching_calendar', { done: 1, total: 3, rate: 0, etaSeconds: null })).toBe(
      '1 of 3 calendars',
    );
    expect(formatStageCount('listing', { done: 1, total: null, rate: 0, etaSeconds: null })).toBe('1 message');
    expect(formatStageCount('computing', { done: 0, total: null, rate: 0, etaSeconds: null })).toBe('');
    expect(stageFraction({ done: 3, total: null, rate: 0, etaSeconds: null })).toBeNull();
  });

  it('says rates per unit and hides a standstill', () => {
    expect(formatStageRate('fetching_mail', 12.5)).toBe('13 messages/s');
    expect(formatStageRate('fetching_mail', 2.25)).toBe('2.3 messages/s');
    expect(formatStageRate('fetching_calendar', 3)).toBe('3 calendars/s');
    expect(formatStageRate('fetching_mail', 0)).toBe('');
  });

  it('says the time left, rounded, or that it is still estimating', () => {
    expect(formatEta(null)).toBe('Estimating time left…');
    expect(formatEta(0)).toBe('Almost done');
    expect(formatEta(150)).toBe('About 3 minutes left');
    expect(formatEta(7)).toBe('About 7 seconds left');
  });

  it('labels account and sync states', () => {
    expect(accountStatusLabel('reconnect_needed')).toBe('Reconnect needed');
    expect(accountStatusLabel('snapshot')).toBe('Snapshot');
    expect(accountStatusLabel('something_new')).toBe('something_new');
    const status = {
      state: 'syncing', percent: 42, paused: false, interval_minutes: 10,
      last_sync_at: null, last_error: null, connected_accounts: 1,
    } as const;
    expect(syncStateLabel(status)).toBe('Syncing 42 %');
    expect(syncStateLabel({ ...status, state: 'paused', percent: null })).toBe('Paused');
  });

  it('lists the accounts whose pass failed, with the reason', () => {
    expect(summaryErrors(summary)).toEqual([
      { account: 'old@example.com', reason: 'Google refused the sign-in; reconnect the account' },
    ]);
  });
});

describe('schedule wording', () => {
  it('offers the usual intervals and keeps a custom one', () => {
    expect(intervalChoices(10)).toEqual([5, 10, 15, 30, 60, 120, 360, 1440]);
    expect(intervalChoices(45)).toContain(45);
    expect(['10', '60', '120', '1440', '1'].map((m) => formatInterval(Number(m)))).toEqual([
      '10 minutes',
      '1 hour',
      '2 hours',
      '1 day',
      '1 minute',
    ]);
  });

  it('says when in local time, and nothing for a bad date', () => {
    expect(formatWhen('2026-11-22T08:12:00Z', { locale: 'en-US', timeZone: 'UTC' })).toBe('Nov 22, 2026, 8:12 AM');
    expect(formatWhen('not a date')).toBeNull();
  });

  it('sees whether a pass changed anything', () => {
    expect(changedAnything(summary)).toBe(true);
    expect(changedAnything({ ...summary, mail: counts })).toBe(false);
  });
});

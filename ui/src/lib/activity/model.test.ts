import { describe, expect, it } from 'vitest';
import { activityFilter, actorOptions } from './model';

describe('actorOptions', () => {
  it('offers the known actors even before any entry names them', () => {
    expect(actorOptions([])).toEqual(['person', 'sync', 'assistant']);
  });

  it('adds the rules seen in rule order, then other actors, each once', () => {
    expect(actorOptions(['rule 10', 'sync', 'rule 2', 'webhook', 'rule 10', 'cli'])).toEqual([
      'person',
      'sync',
      'assistant',
      'rule 2',
      'rule 10',
      'cli',
      'webhook',
    ]);
  });
});

describe('activityFilter', () => {
  it('asks for everyone and every outcome by default', () => {
    expect(activityFilter({ actor: null, failedOnly: false })).toEqual({
      since: null,
      actor: null,
      kind: null,
      failed_only: false,
      limit: 200,
    });
  });

  it('passes the actor and failures-only through', () => {
    expect(activityFilter({ actor: 'rule 2', failedOnly: true })).toMatchObject({ actor: 'rule 2', failed_only: true });
  });
});

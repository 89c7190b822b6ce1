import { describe, expect, it } from 'vitest';
import { firedSentence, offsetOf, personOf, rulePosition } from './model';

describe('rulePosition', () => {
  it('reads the line, column and detail of the engine’s message', () => {
    expect(
      rulePosition("not a rule: line 1, column 28: unknown action 'creat_task' — did you mean 'create_task'?"),
    ).toEqual({ line: 1, column: 28, detail: "unknown action 'creat_task' — did you mean 'create_task'?" });
  });

  it('reads positions past the first line', () => {
    expect(rulePosition('not a rule: line 3, column 5: expected then')).toEqual({
      line: 3,
      column: 5,
      detail: 'expected then',
    });
  });

  it('is null for a message without a position', () => {
    expect(rulePosition('the store could not be read')).toBeNull();
  });
});

describe('offsetOf', () => {
  const text = 'when message.received\nthen creat_task';

  it('counts columns on the first line from 1', () => {
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 1, 6)).toBe(5);
  });

  it('skips the earlier lines and their line breaks', () => {
    expect(offsetOf(text, 2, 6)).toBe(text.indexOf('creat_task'));
  });

  it('clamps a position past the end of a line or the text', () => {
    expect(offsetOf(text, 1, 99)).toBe('when message.received'.length);
    expect(offsetOf(text, 9, 1)).toBe(text.indexOf('then'));
  });

  it('counts characters, not UTF-16 units', () => {
    expect(offsetOf('if subject~"🎉 party" then', 1, 14)).toBe('if subject~"🎉'.length);
  });
});

describe('firedSentence', () => {
  it('says never, once and N times', () => {
    expect(firedSentence(0)).toBe('Would never have fired');
    expect(firedSentence(1)).toBe('Would have fired once');
    expect(firedSentence(1234, { locale: 'en-US' })).toBe('Would have fired 1,234 times');
  });
});

describe('personOf', () => {
  it('reads the person of a person item and nothing else', () => {
    expect(personOf('person 3')).toBe(3);
    expect(personOf('message 42')).toBeNull();
    expect(personOf('event 7')).toBeNull();
  });
});

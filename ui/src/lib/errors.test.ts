import { describe, expect, it } from 'vitest';
import type { ErrorCode } from './backend';
import { adviseOn } from './errors';

const codes: ErrorCode[] = [
  'invalid_input',
  'not_found',
  'wrong_key',
  'store_unavailable',
  'io',
  'internal',
];

describe('adviseOn', () => {
  it('gives every code a title and at least one way forward', () => {
    for (const code of codes) {
      const advice = adviseOn({ code, message: 'm' });
      expect(advice.title.length, code).toBeGreaterThan(0);
      expect(advice.retryable || advice.chooseOther, code).toBe(true);
    }
  });

  it('offers other files, not a retry, when the input is the problem', () => {
    expect(adviseOn({ code: 'invalid_input', message: '' })).toMatchObject({
      retryable: false,
      chooseOther: true,
    });
    expect(adviseOn({ code: 'not_found', message: '' })).toMatchObject({
      retryable: false,
      chooseOther: true,
    });
  });

  it('offers a retry for transient failures', () => {
    expect(adviseOn({ code: 'store_unavailable', message: '' }).retryable).toBe(true);
    expect(adviseOn({ code: 'io', message: '' }).retryable).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, cardFileName, exportSize, MAX_SIDE, wrapLines } from './png';

describe('exportSize', () => {
  it('is at least twice the drawing size, keeping 4:5', () => {
    expect(exportSize(1)).toEqual({ width: 2 * CARD_WIDTH, height: 2 * CARD_HEIGHT, scale: 2 });
    expect(exportSize(Number.NaN)).toEqual({ width: 1080, height: 1350, scale: 2 });
  });

  it('follows a denser screen', () => {
    expect(exportSize(3)).toEqual({ width: 1620, height: 2025, scale: 3 });
  });

  it('never exceeds the longest side allowed', () => {
    const size = exportSize(8);
    expect(Math.max(size.width, size.height)).toBe(MAX_SIDE);
    expect(size.width / size.height).toBeCloseTo(CARD_WIDTH / CARD_HEIGHT, 3);
  });
});

describe('wrapLines', () => {
  const measure = (text: string) => text.length * 10;

  it('breaks at spaces within the width', () => {
    expect(wrapLines('one two three four', 100, measure)).toEqual(['one two', 'three four']);
  });

  it('keeps a word longer than a line whole', () => {
    expect(wrapLines('extraordinarily long', 50, measure)).toEqual(['extraordinarily', 'long']);
  });

  it('ends a cut text with an ellipsis that fits', () => {
    const lines = wrapLines('aaa bbb ccc ddd eee', 70, measure, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    expect(measure(lines[1] ?? '')).toBeLessThanOrEqual(70);
  });

  it('gives no lines for no text', () => {
    expect(wrapLines('   ', 100, measure)).toEqual([]);
  });
});

it('names files by window, position and card', () => {
  expect(cardFileName('days-90', 0, { id: 'messages' })).toBe('kindred-wrapped-days-90-01-messages.png');
  expect(cardFileName('year-2025', 10, { id: 'newsletters' })).toBe('kindred-wrapped-year-2025-11-newsletters.png');
});

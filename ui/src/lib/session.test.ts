import { describe, expect, it } from 'vitest';
import { screenInAddress } from './session.svelte';

describe('screenInAddress', () => {
  it('reads the screen the address names', () => {
    expect(screenInAddress('#people')).toBe('people');
    expect(screenInAddress('#organizations')).toBe('organizations');
  });

  it('is the overview when the address names none', () => {
    expect(screenInAddress('')).toBe('overview');
    expect(screenInAddress('#')).toBe('overview');
  });

  it('is the overview when the address is not a name', () => {
    expect(screenInAddress('#%E0%A4%A')).toBe('overview');
  });

  it('reads an escaped name back', () => {
    expect(screenInAddress(`#${encodeURIComponent('a b')}`)).toBe('a b');
  });
});

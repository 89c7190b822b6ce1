/**
 * Settings' own state: the retention window as the engine keeps it, the extraction label,
 * and "Delete all my data" from the typed confirmation to the summary of what went.
 */
import {
  deleteAllData,
  getExtractionLabel,
  getRetentionDays,
  setExtractionLabel,
  setRetentionDays,
  toApiError,
  type ApiError,
  type ErasureSummary,
} from '../backend';

export class RetentionState {
  /** Days evidence is kept; null keeps everything; undefined until loaded. */
  days = $state<number | null | undefined>(undefined);
  error = $state.raw<{ action: string; error: ApiError } | null>(null);
  saving = $state(false);

  async load(): Promise<void> {
    this.error = null;
    try {
      this.days = await getRetentionDays();
    } catch (error) {
      this.error = { action: 'Reading the retention setting', error: toApiError(error) };
    }
  }

  async set(days: number | null): Promise<void> {
    this.saving = true;
    this.error = null;
    try {
      await setRetentionDays(days);
      this.days = days;
    } catch (error) {
      this.error = { action: 'Changing the retention', error: toApiError(error) };
    } finally {
      this.saving = false;
    }
  }
}

export class ExtractionLabelState {
  /** The label whose new mail is read for events; null for none; undefined until loaded. */
  label = $state<string | null | undefined>(undefined);
  /** The label as typed in the field; the one in force once loaded or saved. */
  draft = $state('');
  error = $state.raw<{ action: string; error: ApiError } | null>(null);
  saving = $state(false);

  /** The field holds a label other than the one in force: not saved yet. */
  get unsaved(): boolean {
    return this.label !== undefined && this.draft !== (this.label ?? '');
  }

  async load(): Promise<void> {
    this.error = null;
    try {
      this.label = await getExtractionLabel();
      this.draft = this.label ?? '';
    } catch (error) {
      this.error = { action: 'Reading the extraction label', error: toApiError(error) };
    }
  }

  /**
   * Chooses `label` (null or blank text clears it); the field then shows the label in force.
   * A refused label changes nothing, and the field keeps what was typed.
   */
  async set(label: string | null): Promise<void> {
    this.saving = true;
    this.error = null;
    const chosen = label === null || label.trim() === '' ? null : label;
    try {
      this.label = await setExtractionLabel(chosen);
      this.draft = this.label ?? '';
    } catch (error) {
      this.error = { action: 'Changing the extraction label', error: toApiError(error) };
    } finally {
      this.saving = false;
    }
  }
}

export type ErasurePhase =
  | { kind: 'idle' }
  | { kind: 'deleting' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'deleted'; summary: ErasureSummary };

export class ErasureState {
  phase = $state.raw<ErasurePhase>({ kind: 'idle' });

  async run(): Promise<void> {
    if (this.phase.kind === 'deleting' || this.phase.kind === 'deleted') return;
    this.phase = { kind: 'deleting' };
    try {
      this.phase = { kind: 'deleted', summary: await deleteAllData() };
    } catch (error) {
      this.phase = { kind: 'failed', error: toApiError(error) };
    }
  }

  reset(): void {
    if (this.phase.kind === 'failed') this.phase = { kind: 'idle' };
  }
}

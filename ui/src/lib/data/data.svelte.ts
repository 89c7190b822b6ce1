/**
 * The person's data as Settings shows it: exporting everything into a folder, with its
 * progress, and the diagnostics (the doctor's checks) with a report to copy.
 */
import {
  exportData,
  getDiagnostics,
  getDiagnosticsReport,
  pickExportFolder,
  toApiError,
  type ApiError,
  type DoctorReport,
  type ExportPart,
  type ExportProgress,
  type ExportSummary,
} from '../backend';

/** Where a running export is: the part being written and how far it is. */
export interface ExportStep {
  part: ExportPart | null;
  done: number;
  total: number;
}

/** The step after `event`; the bar shows the part being written. */
export function nextExportStep(step: ExportStep, event: ExportProgress): ExportStep {
  switch (event.kind) {
    case 'started':
      return { part: null, done: 0, total: 0 };
    case 'progress':
      return { part: event.part, done: event.done, total: event.total };
    case 'finished':
      return { ...step, done: step.total };
  }
}

export class DataSession {
  /** The export under way, or null. */
  exporting = $state.raw<ExportStep | null>(null);
  /** The last export that finished. */
  exported = $state.raw<ExportSummary | null>(null);
  report = $state.raw<DoctorReport | null>(null);
  checking = $state(false);
  /** Whether the report text was copied just now. */
  copied = $state(false);
  failure = $state.raw<{ action: string; error: ApiError } | null>(null);

  async #act(action: string, run: () => Promise<void>): Promise<void> {
    this.failure = null;
    try {
      await run();
    } catch (error) {
      this.failure = { action, error: toApiError(error) };
    }
  }

  /** Asks for a folder, then exports into it; cancelling the dialog does nothing. */
  export(): Promise<void> {
    return this.#act('Exporting your data', async () => {
      const folder = await pickExportFolder();
      if (folder === null) return;
      this.exported = null;
      this.exporting = { part: null, done: 0, total: 0 };
      try {
        this.exported = await exportData(folder, (event) => {
          if (this.exporting !== null) this.exporting = nextExportStep(this.exporting, event);
        });
      } finally {
        this.exporting = null;
      }
    });
  }

  check(): Promise<void> {
    this.checking = true;
    return this.#act('Running the diagnostics', async () => {
      try {
        this.report = await getDiagnostics();
      } finally {
        this.checking = false;
      }
    });
  }

  /** Copies the redacted report to the clipboard. */
  copyReport(): Promise<void> {
    this.copied = false;
    return this.#act('Copying the report', async () => {
      await navigator.clipboard.writeText(await getDiagnosticsReport());
      this.copied = true;
    });
  }
}

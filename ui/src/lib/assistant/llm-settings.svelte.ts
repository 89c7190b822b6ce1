/**
 * The LLM provider settings' state: the settings in force, the form's fields, saving
 * them (the key only when one was typed; it is never read back), and testing the
 * connection.
 */
import {
  getLlmSettings,
  setLlmSettings,
  testLlmConnection,
  toApiError,
  type ApiError,
  type LlmConnection,
  type LlmSettings,
} from '../backend';

export type TestOutcome =
  | { kind: 'none' }
  | { kind: 'testing' }
  | { kind: 'ok'; connection: LlmConnection }
  | { kind: 'failed'; error: ApiError };

export class LlmSettingsState {
  settings = $state.raw<LlmSettings | null>(null);
  loadError = $state.raw<ApiError | null>(null);
  baseUrl = $state('');
  model = $state('');
  embeddingsModel = $state('');
  /** A new key typed by the person; empty leaves the stored one alone. */
  apiKey = $state('');
  saving = $state(false);
  saveError = $state.raw<ApiError | null>(null);
  saved = $state(false);
  test = $state.raw<TestOutcome>({ kind: 'none' });

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.#show(await getLlmSettings());
    } catch (error) {
      this.loadError = toApiError(error);
    }
  }

  /** The form differs from the settings in force, or holds a new key: not saved yet. */
  get unsaved(): boolean {
    const settings = this.settings;
    if (settings === null) return false;
    const shown = formOf(settings);
    return (
      this.baseUrl !== shown.baseUrl ||
      this.model !== shown.model ||
      this.embeddingsModel !== shown.embeddingsModel ||
      this.apiKey !== ''
    );
  }

  /** Something in the form changed: what was said about the old values no longer holds. */
  edited(): void {
    this.saved = false;
    this.saveError = null;
    if (this.test.kind !== 'testing') this.test = { kind: 'none' };
  }

  async save(): Promise<void> {
    await this.#store({
      baseUrl: this.baseUrl.trim(),
      model: this.model.trim(),
      embeddingsModel: this.embeddingsModel.trim(),
      ...(this.apiKey === '' ? {} : { apiKey: this.apiKey }),
    });
  }

  async forgetKey(): Promise<void> {
    await this.#store({ apiKey: '' });
  }

  async runTest(): Promise<void> {
    if (this.test.kind === 'testing') return;
    this.test = { kind: 'testing' };
    try {
      this.test = { kind: 'ok', connection: await testLlmConnection() };
    } catch (error) {
      this.test = { kind: 'failed', error: toApiError(error) };
    }
  }

  async #store(change: Parameters<typeof setLlmSettings>[0]): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    this.saveError = null;
    this.saved = false;
    try {
      this.#show(await setLlmSettings(change));
      this.apiKey = '';
      this.saved = true;
      this.test = { kind: 'none' };
    } catch (error) {
      this.saveError = toApiError(error);
    } finally {
      this.saving = false;
    }
  }

  #show(settings: LlmSettings) {
    this.settings = settings;
    const form = formOf(settings);
    this.baseUrl = form.baseUrl;
    this.model = form.model;
    this.embeddingsModel = form.embeddingsModel;
  }
}

/** The form's fields as `settings` fill them. */
function formOf(settings: LlmSettings): { baseUrl: string; model: string; embeddingsModel: string } {
  return {
    baseUrl: settings.base_url.value ?? '',
    model: settings.model.value ?? '',
    embeddingsModel: settings.embeddings_model.value ?? '',
  };
}

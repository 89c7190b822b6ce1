/**
 * The Rules screen's state: the stored rules, the editor's text with its dry run or parse
 * error, and the actions (add, enable/disable, remove). A failed add keeps the text, so
 * nothing the person typed is lost.
 */
import { SvelteSet } from 'svelte/reactivity';
import {
  addRule,
  dryRunRule,
  listRules,
  removeRule,
  setRuleEnabled,
  toApiError,
  type ApiError,
  type DryRunReport,
  type RuleDto,
} from '../backend';

/** What the editor last heard from the engine about its text. */
export type EditorOutcome =
  | { kind: 'none' }
  | { kind: 'dry-run'; report: DryRunReport }
  | { kind: 'added'; rule: RuleDto }
  | { kind: 'invalid'; error: ApiError };

export class RulesState {
  /** The stored rules, oldest first; null until loaded. */
  rules = $state.raw<RuleDto[] | null>(null);
  /** Loading the list failed. */
  loadError = $state.raw<ApiError | null>(null);
  /** The editor's text. */
  text = $state('');
  outcome = $state.raw<EditorOutcome>({ kind: 'none' });
  /** The editor is waiting for the engine (`dry-run` or `add`). */
  pending = $state<'dry-run' | 'add' | null>(null);
  /** The rules a toggle or removal is running for. */
  readonly busy = new SvelteSet<number>();
  /** The last toggle or removal that failed, with what was being done. */
  failure = $state.raw<{ action: string; error: ApiError } | null>(null);

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.rules = await listRules();
    } catch (error) {
      this.loadError = toApiError(error);
    }
  }

  /** The editor's text changed: what the engine said about the old text no longer holds. */
  edit(text: string): void {
    this.text = text;
    if (this.outcome.kind !== 'none') this.outcome = { kind: 'none' };
  }

  async dryRun(): Promise<void> {
    await this.#submit('dry-run', async (text) => ({ kind: 'dry-run', report: await dryRunRule(text) }));
  }

  async add(): Promise<void> {
    await this.#submit('add', async (text) => {
      const rule = await addRule(text);
      this.rules = [...(this.rules ?? []), rule];
      if (this.text === text) this.text = '';
      return { kind: 'added', rule };
    });
  }

  async setEnabled(rule: RuleDto, enabled: boolean): Promise<void> {
    await this.#onRule(rule, enabled ? `Enabling rule ${rule.id}` : `Disabling rule ${rule.id}`, async () => {
      const updated = await setRuleEnabled(rule.id, enabled);
      this.rules = (this.rules ?? []).map((each) => (each.id === updated.id ? updated : each));
    });
  }

  /** Resolves with whether the rule is gone. */
  async remove(rule: RuleDto): Promise<boolean> {
    let removed = false;
    await this.#onRule(rule, `Removing rule ${rule.id}`, async () => {
      await removeRule(rule.id);
      this.rules = (this.rules ?? []).filter((each) => each.id !== rule.id);
      removed = true;
    });
    return removed;
  }

  async #submit(kind: 'dry-run' | 'add', run: (text: string) => Promise<EditorOutcome>): Promise<void> {
    const text = this.text;
    if (text.trim() === '' || this.pending !== null) return;
    this.pending = kind;
    try {
      const outcome = await run(text);
      // A reply about text the person has since changed is stale.
      if (this.text === text || outcome.kind === 'added') this.outcome = outcome;
    } catch (error) {
      if (this.text === text) this.outcome = { kind: 'invalid', error: toApiError(error) };
    } finally {
      this.pending = null;
    }
  }

  async #onRule(rule: RuleDto, action: string, run: () => Promise<void>): Promise<void> {
    if (this.busy.has(rule.id)) return;
    this.busy.add(rule.id);
    this.failure = null;
    try {
      await run();
    } catch (error) {
      this.failure = { action, error: toApiError(error) };
    } finally {
      this.busy.delete(rule.id);
    }
  }
}

/**
 * What the mocked engine's rules do in an end-to-end test: the stored rules, what a dry
 * run reports, the texts the engine refuses (with the error it gives), and failures. Specs
 * put it on `window.__KINDRED_RULES__` with an init script; without one, there are no rules.
 */
import type { ApiError, DryRunReport, RuleDto } from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_RULES__?: RulesScenario;
    /** With `hold`, lets the held rules answers go. */
    __KINDRED_RELEASE_RULES__?: () => void;
  }
}

export interface RulesScenario {
  rules: RuleDto[];
  /** What `dry_run_rule` answers for any text the engine accepts. */
  dryRun: DryRunReport;
  /** Texts that are not rules, each with the engine's error (from both add and dry run). */
  invalid: Record<string, ApiError>;
  /** `list_rules` fails with this. */
  listError: ApiError | null;
  /** `set_rule_enabled` fails with this. */
  toggleError: ApiError | null;
  /** The rules commands answer only once the spec calls `__KINDRED_RELEASE_RULES__`. */
  hold: boolean;
}

export const ACME_RULE: RuleDto = {
  id: 1,
  text: 'when message.received if from:*@acme.com then create_task title="Reply to {subject}" priority=high',
  trigger: 'message.received',
  enabled: true,
  created_at: '2026-11-20T09:00:00Z',
  updated_at: '2026-11-20T09:00:00Z',
};

export const INVITE_RULE: RuleDto = {
  id: 2,
  text: 'when message.received if has:invite then tag label=meeting',
  trigger: 'message.received',
  enabled: false,
  created_at: '2026-11-21T09:00:00Z',
  updated_at: '2026-11-21T10:00:00Z',
};

export const TYPO = 'when message.received then creat_task';

export const TYPO_ERROR: ApiError = {
  code: 'invalid_input',
  message: "not a rule: line 1, column 28: unknown action 'creat_task' — did you mean 'create_task'?",
};

export const DRY_RUN: DryRunReport = {
  rule: 'when message.received if domain:acme.com then log',
  would_fire: 12,
  examples: [
    { item: 'message 42', at: '2026-11-19T08:30:00Z', title: 'Q4 contract', would: 'log "Q4 contract"' },
    { item: 'message 17', at: '2026-10-02T14:00:00Z', title: 'Kick-off notes', would: 'log "Kick-off notes"' },
    { item: 'person 99', at: null, title: 'Priya Raman', would: 'log "Priya Raman"' },
  ],
};

export function rulesScenario(overrides: Partial<RulesScenario> = {}): RulesScenario {
  return {
    rules: [],
    dryRun: DRY_RUN,
    invalid: { [TYPO]: TYPO_ERROR },
    listError: null,
    toggleError: null,
    hold: false,
    ...overrides,
  };
}

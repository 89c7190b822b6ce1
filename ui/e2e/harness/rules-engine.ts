/**
 * The mocked engine's rules: answers the rules commands from `window.__KINDRED_RULES__`,
 * keeping the rules it adds, switches and removes, as the real store would.
 */
import type { ApiError, RuleDto } from '../../src/lib/backend/bindings';
import { rulesScenario } from '../rules-scenario';

export type RulesAnswer = { handled: true; value: unknown } | { handled: false };

/** Creates the rules part of the mocked engine. */
export function rulesEngine(): (cmd: string, args: Record<string, unknown>) => Promise<RulesAnswer> {
  const scenario = window.__KINDRED_RULES__ ?? rulesScenario();
  let rules: RuleDto[] = scenario.rules;
  let nextId = Math.max(0, ...rules.map((rule) => rule.id)) + 1;
  const released = new Promise<void>((resolve) => {
    window.__KINDRED_RELEASE_RULES__ = resolve;
  });

  const fail = (error: ApiError): never => {
    // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw error;
  };
  const parsed = (text: string): string => {
    const error = scenario.invalid[text];
    if (error !== undefined) fail(error);
    return text.trim();
  };
  const find = (id: number): RuleDto =>
    rules.find((rule) => rule.id === id) ?? fail({ code: 'not_found', message: `no rule ${id}` });

  const answer = (cmd: string, args: Record<string, unknown>): unknown => {
    switch (cmd) {
      case 'list_rules':
        if (scenario.listError !== null) fail(scenario.listError);
        return rules;
      case 'dry_run_rule':
        return { ...scenario.dryRun, rule: parsed(args.text as string) };
      case 'add_rule': {
        const now = '2026-11-22T09:00:00Z';
        const rule: RuleDto = {
          id: nextId,
          text: parsed(args.text as string),
          trigger: 'message.received',
          enabled: true,
          created_at: now,
          updated_at: now,
        };
        nextId += 1;
        rules = [...rules, rule];
        return rule;
      }
      case 'set_rule_enabled': {
        if (scenario.toggleError !== null) fail(scenario.toggleError);
        const rule = { ...find(args.id as number), enabled: args.enabled as boolean };
        rules = rules.map((each) => (each.id === rule.id ? rule : each));
        return rule;
      }
      case 'remove_rule': {
        const rule = find(args.id as number);
        rules = rules.filter((each) => each.id !== rule.id);
        return rule;
      }
      default:
        return undefined;
    }
  };

  return async (cmd, args) => {
    if (!['list_rules', 'dry_run_rule', 'add_rule', 'set_rule_enabled', 'remove_rule'].includes(cmd)) {
      return { handled: false };
    }
    if (scenario.hold) await released;
    return { handled: true, value: answer(cmd, args) };
  };
}

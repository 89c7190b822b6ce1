/**
 * The mocked engine's assistant: answers the assistant commands from
 * `window.__KINDRED_ASSISTANT__`, streaming each answer's text through the real `Channel`
 * protocol, keeping the conversations it adds to and the actions it confirms, as the
 * real store would; it opens the message viewer's messages, and takes the links the viewer
 * opens (`open_link`, recorded with the other calls).
 */
import type { Channel } from '@tauri-apps/api/core';
import { emit } from '@tauri-apps/api/event';
import type {
  ApiError,
  AskAnswer,
  AskStreamEvent,
  ConversationMessage,
  LlmSettings,
} from '../../src/lib/backend/bindings';
import { assistantScenario, OFFLINE_STORY } from '../assistant-scenario';

export type AssistantAnswer = { handled: true; value: unknown } | { handled: false };

const COMMANDS = [
  'ask',
  'list_conversations',
  'get_conversation',
  'confirm_proposed_action',
  'get_story',
  'get_llm_settings',
  'set_llm_settings',
  'test_llm_connection',
  'open_message',
  'open_link',
];

const STAMP = '2026-11-22T09:00:00Z';

/** Creates the assistant part of the mocked engine. */
export function assistantEngine(): (cmd: string, args: Record<string, unknown>) => Promise<AssistantAnswer> {
  const scenario = window.__KINDRED_ASSISTANT__ ?? assistantScenario();
  const conversations = [...scenario.conversations];
  const threads: Record<number, ConversationMessage[]> = structuredClone(scenario.threads);
  let settings: LlmSettings = scenario.settings;
  let asked = 0;
  let nextId = 1000;
  const released = new Promise<void>((resolve) => {
    window.__KINDRED_RELEASE_ANSWER__ = resolve;
  });
  window.__KINDRED_INDEXING__ = (progress) => emit('sync', { kind: 'indexing', progress });

  const fail = (error: ApiError): never => {
    // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw error;
  };

  const answerQuestion = async (args: Record<string, unknown>): Promise<AskAnswer> => {
    const channel = args.onToken as Channel<AskStreamEvent>;
    if (scenario.askError !== null) fail(scenario.askError);
    const script =
      scenario.answers[Math.min(asked, scenario.answers.length - 1)] ?? fail({ code: 'internal', message: 'no answer scripted' });
    asked += 1;
    let index = 0;
    const send = (message: AskStreamEvent) => {
      window.__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
      index += 1;
    };
    for (const [position, text] of script.tokens.entries()) {
      send({ kind: 'token', text });
      if (position === 0 && scenario.holdAnswer) await released;
    }
    window.__TAURI_INTERNALS__.runCallback(channel.id, { index, end: true });
    const question = args.question as string;
    let conversation = args.conversation as number | null;
    if (conversation === null) {
      conversation = nextId++;
      conversations.unshift({ id: conversation, title: question, created_at: STAMP, updated_at: STAMP, messages: 0 });
      threads[conversation] = [];
    }
    const text = script.tokens.join('');
    threads[conversation] = [
      ...(threads[conversation] ?? []),
      { id: nextId++, role: 'user', content: question, citations: [], proposed_actions: [], created_at: STAMP },
      {
        id: nextId++,
        role: 'assistant',
        content: text,
        citations: script.citations,
        proposed_actions: script.proposed_actions,
        created_at: STAMP,
      },
    ];
    return {
      answer: text,
      citations: script.citations,
      proposed_actions: script.proposed_actions,
      conversation_id: conversation,
      generated_by: script.generated_by,
    };
  };

  const confirm = (messageId: number, index: number) => {
    if (scenario.confirmError !== null) fail(scenario.confirmError);
    for (const thread of Object.values(threads)) {
      const message = thread.find((each) => each.id === messageId);
      if (message === undefined) continue;
      const action = message.proposed_actions[index] ?? fail({ code: 'invalid_input', message: `no action ${index}` });
      if (action.status !== 'proposed') fail({ code: 'invalid_input', message: 'already confirmed' });
      message.proposed_actions = message.proposed_actions.map((each, at) =>
        at === index ? { ...each, status: 'done', outcome: 'task 5' } : each,
      );
      return message.proposed_actions;
    }
    return fail({ code: 'not_found', message: `there is no answer ${messageId} in any conversation` });
  };

  const answer = async (cmd: string, args: Record<string, unknown>): Promise<unknown> => {
    switch (cmd) {
      case 'ask':
        return answerQuestion(args);
      case 'list_conversations':
        if (scenario.holdLists) await released;
        if (scenario.listError !== null) fail(scenario.listError);
        return conversations;
      case 'get_conversation':
        return threads[args.id as number] ?? fail({ code: 'not_found', message: `there is no conversation ${String(args.id)}` });
      case 'confirm_proposed_action':
        return confirm(args.messageId as number, args.index as number);
      case 'get_story': {
        if (scenario.holdLists) await released;
        if (scenario.storyError !== null) fail(scenario.storyError);
        return scenario.stories[args.person as string] ?? OFFLINE_STORY;
      }
      case 'get_llm_settings':
        return settings;
      case 'set_llm_settings': {
        const url = args.baseUrl as string | null;
        if (url !== null && url !== '' && !/^https?:\/\//.test(url)) {
          fail({ code: 'invalid_input', message: `the LLM base URL "${url}" must start with http:// or https://` });
        }
        const value = (next: unknown, old: LlmSettings['model']) =>
          next === null ? old : next === '' ? { value: null, source: 'unset' as const } : { value: next as string, source: 'settings' as const };
        const base_url = value(url, settings.base_url);
        const key = args.apiKey as string | null;
        settings = {
          ...settings,
          offline: base_url.value === null,
          base_url,
          model: value(args.model, settings.model),
          embeddings_model: value(args.embeddingsModel, settings.embeddings_model),
          api_key: key === null ? settings.api_key : key === '' ? 'unset' : 'settings',
        };
        return settings;
      }
      case 'test_llm_connection':
        return 'code' in scenario.connection ? fail(scenario.connection) : scenario.connection;
      case 'open_message':
        return scenario.messages[args.id as number] ?? fail({ code: 'not_found', message: `there is no message ${String(args.id)}` });
      case 'open_link':
        // The system opened it; the spec reads what was asked from the recorded calls.
        return null;
      default:
        return undefined;
    }
  };

  return async (cmd, args) => {
    if (!COMMANDS.includes(cmd)) return { handled: false };
    // Copies, as the real IPC hands over: the app never holds the engine's own objects.
    return { handled: true, value: structuredClone(await answer(cmd, args)) };
  };
}

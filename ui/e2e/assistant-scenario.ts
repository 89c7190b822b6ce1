/**
 * What the mocked engine's assistant does in an end-to-end test: the stored
 * conversations, the answers it gives (streamed token by token), the messages citations
 * open, the stories, the LLM settings and failures. Specs put it on
 * `window.__KINDRED_ASSISTANT__` with an init script; without one, there are no
 * conversations and Kindred is in offline mode.
 */
import type {
  ApiError,
  ConversationMessage,
  ConversationSummary,
  IndexProgress,
  LlmConnection,
  LlmSettings,
  MessageView,
  ProposedActionDto,
  RelationshipStory,
} from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_ASSISTANT__?: AssistantScenario;
    /** With `holdAnswer`, lets the held answer finish streaming. */
    __KINDRED_RELEASE_ANSWER__?: () => void;
    /** Sends the search index's progress, as the background's indexing job does. */
    __KINDRED_INDEXING__?: (progress: IndexProgress) => Promise<void>;
  }
}

/** One answer the mocked assistant gives: its text in the pieces it streams in. */
export interface ScriptedAnswer {
  tokens: string[];
  citations: ConversationMessage['citations'];
  proposed_actions: ProposedActionDto[];
  generated_by: 'llm' | 'offline';
}

export interface AssistantScenario {
  conversations: ConversationSummary[];
  threads: Record<number, ConversationMessage[]>;
  /** The answers to the questions asked, in order (the last one repeats). */
  answers: ScriptedAnswer[];
  /** `ask` fails with this (after streaming nothing). */
  askError: ApiError | null;
  /** `list_conversations` fails with this. */
  listError: ApiError | null;
  /** `confirm_proposed_action` fails with this. */
  confirmError: ApiError | null;
  /** The answer streams its first token, then waits for `__KINDRED_RELEASE_ANSWER__`. */
  holdAnswer: boolean;
  /** `list_conversations` and `get_story` wait for `__KINDRED_RELEASE_ANSWER__` too. */
  holdLists: boolean;
  settings: LlmSettings;
  /** What `test_llm_connection` answers, or the error it fails with. */
  connection: LlmConnection | ApiError;
  /** Messages `open_message` knows; others are `not_found`. */
  messages: Record<number, MessageView>;
  /** Stories by person id; anyone else gets `OFFLINE_STORY`. */
  stories: Record<string, RelationshipStory>;
  /** `get_story` fails with this. */
  storyError: ApiError | null;
}

export const OFFLINE: LlmSettings = {
  offline: true,
  base_url: { value: null, source: 'unset' },
  model: { value: null, source: 'unset' },
  embeddings_model: { value: null, source: 'unset' },
  api_key: 'unset',
  usage: [],
};

export const OLLAMA: LlmSettings = {
  offline: false,
  base_url: { value: 'http://localhost:11434/v1', source: 'settings' },
  model: { value: 'llama3.1', source: 'settings' },
  embeddings_model: { value: null, source: 'unset' },
  api_key: 'settings',
  usage: [{ purpose: 'chat', model: 'llama3.1', calls: 4, prompt_tokens: 5200, completion_tokens: 610 }],
};

/** A message with HTML-looking text and a remote image link: shown as text, never loaded. */
export const BUDGET_MESSAGE: MessageView = {
  id: 42,
  subject: 'Budget',
  from: 'Dana Reyes <dana@acme.example>',
  recipients: [
    { role: 'to', email: 'robin@vale.example', name: 'Robin Vale' },
    { role: 'cc', email: 'sam@acme.example', name: null },
  ],
  date: '2025-06-10T10:00:00Z',
  text: 'Hi Robin,\n\nThe Acme budget is 40k.\n<img src="http://127.0.0.1:9/track.png"><script>window.__PWNED__ = true</script>\n\nDana',
  html: null,
  style_sheets: [],
  remote_blocked: 0,
  links: [],
  thread_key: 'budget',
  has_attachments: true,
  is_automated: false,
};

export const BUDGET_CITATION = {
  kind: 'message',
  id: 42,
  subject_or_title: 'Budget',
  date: '2025-06-10T10:00:00Z',
};

export const KICKOFF_CITATION = {
  kind: 'event',
  id: 7,
  subject_or_title: 'Acme kickoff',
  date: '2025-03-03T15:00:00Z',
};

export const TASK_PROPOSAL: ProposedActionDto = {
  tool: 'create_task',
  arguments: { title: 'Send Dana the budget', priority: 'high' },
  status: 'proposed',
  outcome: null,
};

/** A stored conversation: a question about Dana answered from the budget mail. */
export const DANA_CONVERSATION: ConversationSummary = {
  id: 3,
  title: 'When did I last talk with Dana?',
  created_at: '2026-11-20T09:00:00Z',
  updated_at: '2026-11-20T09:00:05Z',
  messages: 2,
};

export const DANA_THREAD: ConversationMessage[] = [
  {
    id: 11,
    role: 'user',
    content: 'When did I last talk with Dana?',
    citations: [],
    proposed_actions: [],
    created_at: '2026-11-20T09:00:05Z',
  },
  {
    id: 12,
    role: 'assistant',
    content: 'Your last exchange with Dana Reyes was on 2025-06-10 [msg:42], after the Acme kickoff [event:7].',
    citations: [BUDGET_CITATION, KICKOFF_CITATION],
    proposed_actions: [],
    created_at: '2026-11-20T09:00:05Z',
  },
];

export const TASK_ANSWER: ScriptedAnswer = {
  tokens: ['I propose ', 'a task to send ', 'Dana the budget ', '[msg:42].'],
  citations: [BUDGET_CITATION],
  proposed_actions: [TASK_PROPOSAL],
  generated_by: 'llm',
};

/** The story of anyone the scenario has none for: composed offline, one claim. */
export const OFFLINE_STORY: RelationshipStory = {
  text: 'You have exchanged mail since 2025 [msg:42].',
  claims: [{ text: 'You have exchanged mail since 2025 [msg:42].', citations: ['msg:42'], verified: true }],
  generated_by: 'offline',
};

/** Priya's story by the model: one claim verified, one not (verification was off for it). */
export const PRIYA_STORY: RelationshipStory = {
  text: 'Priya introduced you to Larkspur in January [msg:42] and you met at the kickoff [event:7]. You talk most in autumn.',
  claims: [
    { text: 'Priya introduced you to Larkspur in January [msg:42]', citations: ['msg:42'], verified: true },
    { text: 'you met at the kickoff [event:7]', citations: ['event:7'], verified: true },
    { text: 'You talk most in autumn.', citations: [], verified: false },
  ],
  generated_by: 'llm',
};

export function assistantScenario(overrides: Partial<AssistantScenario> = {}): AssistantScenario {
  return {
    conversations: [],
    threads: {},
    answers: [
      {
        tokens: ['Your last exchange with Dana Reyes was on 2025-06-10 [msg:42].'],
        citations: [BUDGET_CITATION],
        proposed_actions: [],
        generated_by: 'offline',
      },
    ],
    askError: null,
    listError: null,
    confirmError: null,
    holdAnswer: false,
    holdLists: false,
    settings: OFFLINE,
    connection: { code: 'invalid_input', message: 'no LLM is configured (offline mode)' },
    messages: { 42: BUDGET_MESSAGE },
    stories: {},
    storyError: null,
    ...overrides,
  };
}

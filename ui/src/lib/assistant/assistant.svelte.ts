/**
 * The Assistant screen's state: the conversations, the one open with its questions and
 * answers, the answer being written (its text streams in, applied once per frame), the
 * provider in use (or offline mode), and confirming the actions an answer proposes. The
 * question being written survives a failed ask, so nothing the person typed is lost.
 */
import { SvelteSet } from 'svelte/reactivity';
import {
  ask,
  confirmProposedAction,
  getConversation,
  getLlmSettings,
  listConversations,
  toApiError,
  type ApiError,
  type AskStreamEvent,
  type ConversationMessage,
  type ConversationSummary,
  type LlmSettings,
} from '../backend';

/** The question being answered and the answer's text so far. */
export interface PendingAnswer {
  question: string;
  text: string;
}

/** An action of an answer, as the screen names it for confirmation and busy state. */
export interface ActionRef {
  messageId: number;
  index: number;
}

export function actionKey(action: ActionRef): string {
  return `${action.messageId}:${action.index}`;
}

export class AssistantState {
  /** The conversations, newest first; null until loaded. */
  conversations = $state.raw<ConversationSummary[] | null>(null);
  listError = $state.raw<ApiError | null>(null);
  /** The open conversation; null for a new one. */
  current = $state<number | null>(null);
  /** Its questions and answers; null while they load. */
  messages = $state.raw<ConversationMessage[] | null>([]);
  openError = $state.raw<ApiError | null>(null);
  /** The question box's text. */
  draft = $state('');
  pending = $state.raw<PendingAnswer | null>(null);
  askError = $state.raw<ApiError | null>(null);
  /** The provider in use; null until known. */
  provider = $state.raw<LlmSettings | null>(null);
  providerError = $state.raw<ApiError | null>(null);
  /** Actions being confirmed, by `actionKey`. */
  readonly confirming = new SvelteSet<string>();
  confirmError = $state.raw<ApiError | null>(null);

  #streamed = '';
  #frame: number | null = null;
  #opening = 0;

  async load(): Promise<void> {
    await Promise.all([this.loadConversations(), this.loadProvider()]);
  }

  async loadConversations(): Promise<void> {
    this.listError = null;
    try {
      this.conversations = await listConversations();
    } catch (error) {
      this.listError = toApiError(error);
    }
  }

  async loadProvider(): Promise<void> {
    this.providerError = null;
    try {
      this.provider = await getLlmSettings();
    } catch (error) {
      this.providerError = toApiError(error);
    }
  }

  /** Opens conversation `id` (null: a new, empty one). */
  async open(id: number | null): Promise<void> {
    if (this.pending !== null) return;
    const opening = ++this.#opening;
    this.current = id;
    this.openError = null;
    this.askError = null;
    this.confirmError = null;
    if (id === null) {
      this.messages = [];
      return;
    }
    this.messages = null;
    try {
      const messages = await getConversation(id);
      if (opening === this.#opening) this.messages = messages;
    } catch (error) {
      if (opening === this.#opening) this.openError = toApiError(error);
    }
  }

  /**
   * Asks the draft in the open conversation; resolves once answered or failed. The
   * streamed answer stays on screen until the stored conversation replaces it, so nothing
   * jumps; a failure to re-read the conversation is not a failure of the question.
   */
  async send(): Promise<void> {
    const question = this.draft.trim();
    if (question === '' || this.pending !== null || this.messages === null) return;
    this.askError = null;
    this.#streamed = '';
    this.pending = { question, text: '' };
    let conversation: number;
    try {
      conversation = (await ask(question, this.current, (event) => this.#receive(event))).conversation_id;
    } catch (error) {
      this.#flush();
      this.askError = toApiError(error);
      this.pending = null;
      return;
    }
    this.#flush();
    if (this.draft.trim() === question) this.draft = '';
    this.current = conversation;
    const opening = ++this.#opening;
    try {
      const messages = await getConversation(conversation);
      if (opening === this.#opening) this.messages = messages;
    } catch (error) {
      if (opening === this.#opening) this.openError = toApiError(error);
    } finally {
      this.pending = null;
    }
    void this.loadConversations();
  }

  /** The person confirmed action `action.index` of answer `action.messageId`. */
  async confirm(action: ActionRef): Promise<boolean> {
    const key = actionKey(action);
    if (this.confirming.has(key)) return false;
    this.confirming.add(key);
    this.confirmError = null;
    try {
      const actions = await confirmProposedAction(action.messageId, action.index);
      this.messages = (this.messages ?? []).map((message) =>
        message.id === action.messageId ? { ...message, proposed_actions: actions } : message,
      );
      return true;
    } catch (error) {
      this.confirmError = toApiError(error);
      return false;
    } finally {
      this.confirming.delete(key);
    }
  }

  // Tokens can arrive far faster than the screen refreshes: gather them and show the
  // text once per frame.
  #receive(event: AskStreamEvent) {
    this.#streamed += event.text;
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = null;
      this.#flush();
    });
  }

  #flush() {
    if (this.#frame !== null) {
      cancelAnimationFrame(this.#frame);
      this.#frame = null;
    }
    if (this.pending !== null) this.pending = { ...this.pending, text: this.#streamed };
  }
}

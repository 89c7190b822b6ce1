/**
 * The format the person last chose in the message viewer (HTML first), kept for as long
 * as the app runs, so every message they open next shows the same way.
 */
import type { MessageFormat } from './frame';

export const viewerPreference = $state<{ format: MessageFormat }>({ format: 'html' });

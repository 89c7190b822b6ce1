/**
 * What to tell the person when a command fails. The engine's `message` names the object
 * and the fix and is always shown; the `code` decides the title, an extra hint and which
 * ways forward make sense.
 */
import type { ApiError } from './backend';

export interface ErrorAdvice {
  title: string;
  /** A line under the engine's message, or `null` when the message says it all. */
  hint: string | null;
  /** Running the same request again may succeed. */
  retryable: boolean;
  /** The input itself is the problem: offer to choose other files. */
  chooseOther: boolean;
}

export function adviseOn(error: ApiError): ErrorAdvice {
  switch (error.code) {
    case 'invalid_input':
      return {
        title: 'Kindred can’t use that',
        hint: 'Kindred imports mbox files, Maildir folders, .eml messages, Google Takeout .zip archives and .ics calendars.',
        retryable: false,
        chooseOther: true,
      };
    case 'not_found':
      return {
        title: 'Not found',
        hint: 'It may have been moved, renamed or deleted.',
        retryable: false,
        chooseOther: true,
      };
    case 'wrong_key':
      return {
        title: 'Kindred can’t unlock its database',
        hint: 'The key in your system keyring does not open this database. Unlock the keyring if it is locked, then try again.',
        retryable: true,
        chooseOther: false,
      };
    case 'store_unavailable':
      return {
        title: 'The database is unavailable',
        hint: 'Another Kindred may be using it, or the disk is not reachable. Try again in a moment.',
        retryable: true,
        chooseOther: false,
      };
    case 'invalid_link':
      return {
        title: 'Kindred does not open that link',
        hint: 'Only web (http, https), mail and phone links open.',
        retryable: false,
        chooseOther: false,
      };
    case 'io':
      return {
        title: 'A file could not be read or written',
        hint: 'Check that the file is readable and the disk has free space.',
        retryable: true,
        chooseOther: false,
      };
    case 'internal':
      return { title: 'Something went wrong', hint: null, retryable: true, chooseOther: false };
  }
}

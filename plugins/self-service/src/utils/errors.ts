import { ResponseError } from '@backstage/errors';

/**
 * The message a person should read for a failed call: the server's own
 * message for a refused request (e.g. "You may not decide your own request"),
 * else the error's message.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The HTTP status of a failed call, when there is one. */
export function errorStatus(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.statusCode : undefined;
}

/** Satisfied by `vscode.CancellationToken`; the CLI builds one from an AbortSignal. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const neverCancelled: CancellationToken = Object.freeze({ isCancellationRequested: false });

/** Thrown when work notices that its token was cancelled. Front ends drop it: cancellation is not a failure. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError when the token is cancelled. Call between units of work. */
export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new CancelledError();
}

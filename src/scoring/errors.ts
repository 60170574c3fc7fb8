/**
 * Scoring's own error: a stable code the HTTP layer can map (to 422 or 500) without this pure module importing it.
 */
export type ScoringErrorCode = 'unknown_scoring_method' | 'invalid_scoring_input';

export class ScoringError extends Error {
  override readonly name = 'ScoringError';
  constructor(
    readonly code: ScoringErrorCode,
    message: string,
  ) {
    super(message);
  }
}

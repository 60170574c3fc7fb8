/** A field-level problem, as in problem+json `errors[]`. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error class of the application. `code` is stable and snake_case (clients branch on it); `message` is the
 * human detail, Japanese first. The error handler maps by type and code, never by message text.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly details?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = '指定された記録') => new AppError('not_found', `${what}は見つかりません`, 404);
export const conflict = (message = 'この記録は他の利用者により更新されています。最新の内容を読み込み直してください。', extra?: Record<string, unknown>) =>
  new AppError('version_conflict', message, 409, undefined, extra);
export const forbidden = (message = 'この操作を行う権限がありません') => new AppError('forbidden', message, 403);
export const unauthenticated = () => new AppError('unauthenticated', 'サインインが必要です', 401);
export const badRequest = (code: string, message: string, details?: FieldError[]) => new AppError(code, message, 400, details);
export const unprocessable = (code: string, message: string, details?: FieldError[]) => new AppError(code, message, 422, details);
export const illegalState = (message: string) => new AppError('illegal_state', message, 409);
export const unavailable = () => new AppError('database_unavailable', 'データベースに接続できません。しばらくしてから再度お試しください。', 503);

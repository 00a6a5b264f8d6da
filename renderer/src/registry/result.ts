/**
 * Errors are values: every operation returns a Result, and a failure carries a
 * stable code for programs and a message a person can act on.
 */
export interface RegistryError {
  code: RegistryErrorCode;
  message: string;
}

export type RegistryErrorCode =
  | 'NAME_INVALID'
  | 'ALIAS_INVALID'
  | 'TAG_INVALID'
  | 'METADATA_INVALID'
  | 'DESCRIPTION_INVALID'
  | 'ROLE_FORBIDDEN'
  | 'PROTECTED_ALIAS'
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_EXISTS'
  | 'ARTIFACT_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'VERSION_DELETED'
  | 'VERSION_INVALID'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_EXISTS'
  | 'LINK_NOT_FOUND'
  | 'ALIAS_NOT_FOUND'
  | 'AMBIGUOUS'
  | 'FILTER_INVALID';

export type Result<T> = { ok: true; value: T } | { ok: false; error: RegistryError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: RegistryErrorCode, message: string): Result<T> => ({ ok: false, error: { code, message } });

/** For callers (tests, scripts) that want an exception instead of a value. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), { code: result.error.code });
  return result.value;
}

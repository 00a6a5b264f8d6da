import type { HostErrorData } from './contract';

/**
 * An error a user can act on: a stable code for programs and a message for people
 * (`STORE_LOCKED: another Cairn process is writing /data; close it or pick another data directory`).
 * It crosses both transports as plain data and is rebuilt on the other side.
 */
export class HostError extends Error implements HostErrorData {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }

  toJSON(): HostErrorData {
    return { code: this.code, message: this.message };
  }

  static from(data: HostErrorData): HostError {
    return new HostError(data.code, data.message);
  }
}

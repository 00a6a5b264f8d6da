import { describe, expect, it } from 'vitest';
import { WriteGate } from '../../electron/main/store/write-gate';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

function recordingGate(acquire: () => Promise<void> = async () => {}) {
  const log: string[] = [];
  const gate = new WriteGate({
    acquire: async () => {
      log.push('acquire');
      await acquire();
    },
    idle: async () => void log.push('idle'),
    release: async () => void log.push('release'),
  });
  return { gate, log };
}

describe('the in-process write gate', () => {
  it('runs shared operations together and an exclusive one alone, first come first served', async () => {
    const { gate, log } = recordingGate();
    const a = deferred();
    const b = deferred();
    const runA = gate.run('shared', async () => {
      log.push('a start');
      await a.promise;
      log.push('a end');
    });
    const runGc = gate.run('exclusive', async () => void log.push('gc'));
    // Arrived after gc: must wait for it, not overtake it.
    const runB = gate.run('shared', async () => {
      log.push('b start');
      await b.promise;
      log.push('b end');
    });
    await tick();
    expect(log).toEqual(['acquire', 'a start']);
    a.resolve();
    await runA;
    await runGc;
    await tick();
    expect(log).toEqual(['acquire', 'a start', 'a end', 'idle', 'gc', 'idle', 'b start']);
    b.resolve();
    await runB;
    expect(log.slice(-3)).toEqual(['b end', 'idle', 'release']);
  });

  it('lets concurrent shared operations overlap', async () => {
    const { gate, log } = recordingGate();
    const a = deferred();
    const runA = gate.run('shared', async () => {
      log.push('a start');
      await a.promise;
    });
    const runB = gate.run('shared', async () => void log.push('b'));
    await runB;
    expect(log).toEqual(['acquire', 'a start', 'b']);
    a.resolve();
    await runA;
    expect(log).toEqual(['acquire', 'a start', 'b', 'idle', 'release']);
  });

  it('fails only the operation whose lock could not be taken, and tries again for the next', async () => {
    let locked = true;
    const { gate } = recordingGate(async () => {
      if (locked) throw new Error('STORE_LOCKED');
    });
    await expect(gate.run('shared', async () => 1)).rejects.toThrow('STORE_LOCKED');
    locked = false;
    await expect(gate.run('shared', async () => 2)).resolves.toBe(2);
    expect(gate.busy).toBe(false);
  });

  it('returns an operation\'s result even if housekeeping fails', async () => {
    const gate = new WriteGate({
      acquire: async () => {},
      idle: async () => {
        throw new Error('sweep failed');
      },
      release: async () => {},
    });
    await expect(gate.run('exclusive', async () => 'done')).resolves.toBe('done');
    expect(gate.busy).toBe(false);
  });
});

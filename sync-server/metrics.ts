import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The server's counters and gauges, rendered in the Prometheus text exposition
 * format (version 0.0.4) by `GET /metrics`.
 */

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: () => Array<{ labels?: Labels; value: number }>;
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  inc(labels: Labels = {}, by = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }
  get(labels: Labels = {}): number {
    return this.values.get(JSON.stringify(labels))?.value ?? 0;
  }
  samples(): Array<{ labels: Labels; value: number }> {
    return [...this.values.values()];
  }
}

export class SyncMetrics {
  readonly connectionsAccepted = new Counter();
  readonly upgradesRefused = new Counter(); // {reason}
  readonly connectionsClosed = new Counter(); // {reason}
  readonly messagesReceived = new Counter(); // {type}
  readonly bytesReceived = new Counter();
  readonly updatesReceived = new Counter();
  readonly updatesApplied = new Counter(); // {origin: client|sequencer}
  readonly updatesRefused = new Counter(); // {reason}
  readonly presenceRefused = new Counter();
  readonly flushes = new Counter();
  readonly compactions = new Counter();
  readonly roomsLoaded = new Counter();
  readonly roomsUnloaded = new Counter();
  readonly sequencerErrors = new Counter();
  readonly storageErrors = new Counter();
  /** Time spent in storage writes (the durable part of every forward). */
  readonly storageWriteSeconds = new Counter();
  private storageWriteMax = 0;

  /** Records one durable write's duration. */
  observeStorageWrite(seconds: number): void {
    this.storageWriteSeconds.inc({}, seconds);
    if (seconds > this.storageWriteMax) this.storageWriteMax = seconds;
  }

  private readonly families: Family[];
  /** Event-loop delay since the last scrape: what every client's latency pays when the server is busy. */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(gauges: { rooms: () => number; connections: () => number; storedBytes: () => number }) {
    this.loopDelay.enable();
    const counter = (name: string, help: string, c: Counter): Family => ({ name, help, type: 'counter', samples: () => c.samples() });
    const gauge = (name: string, help: string, read: () => number): Family => ({ name, help, type: 'gauge', samples: () => [{ value: read() }] });
    this.families = [
      gauge('cairn_sync_rooms_loaded', 'Rooms whose document is in memory.', gauges.rooms),
      gauge('cairn_sync_connections', 'Open WebSocket connections.', gauges.connections),
      gauge('cairn_sync_stored_bytes', 'Bytes of document state in storage (snapshots and update logs).', gauges.storedBytes),
      gauge('cairn_sync_process_resident_memory_bytes', 'Resident set size of the server process.', () => process.memoryUsage.rss()),
      gauge('cairn_sync_event_loop_delay_p99_seconds', 'Event-loop delay, 99th percentile since the previous scrape.', () => this.loopDelay.percentile(99) / 1e9),
      gauge('cairn_sync_event_loop_delay_max_seconds', 'Event-loop delay, maximum since the previous scrape.', () => this.loopDelay.max / 1e9),
      gauge('cairn_sync_storage_write_max_seconds', 'Longest storage write (append of one batch) since the previous scrape.', () => this.storageWriteMax),
      counter('cairn_sync_connections_accepted_total', 'WebSocket connections accepted.', this.connectionsAccepted),
      counter('cairn_sync_upgrades_refused_total', 'WebSocket upgrades refused, by reason.', this.upgradesRefused),
      counter('cairn_sync_connections_closed_total', 'Connections closed, by reason.', this.connectionsClosed),
      counter('cairn_sync_messages_received_total', 'Protocol messages received, by type.', this.messagesReceived),
      counter('cairn_sync_received_bytes_total', 'Bytes of protocol messages received.', this.bytesReceived),
      counter('cairn_sync_updates_received_total', 'Document updates received (sync step 2 and update messages).', this.updatesReceived),
      counter('cairn_sync_updates_applied_total', 'Document updates that changed a room and were stored, by origin.', this.updatesApplied),
      counter('cairn_sync_updates_refused_total', 'Document updates refused, by reason.', this.updatesRefused),
      counter('cairn_sync_presence_refused_total', "Presence (awareness) updates refused for speaking for another token's client.", this.presenceRefused),
      counter('cairn_sync_flushes_total', 'Batched durable writes.', this.flushes),
      counter('cairn_sync_compactions_total', 'Room logs compacted into one snapshot.', this.compactions),
      counter('cairn_sync_rooms_loaded_total', 'Rooms loaded from storage.', this.roomsLoaded),
      counter('cairn_sync_rooms_unloaded_total', 'Rooms dropped from memory.', this.roomsUnloaded),
      counter('cairn_sync_sequencer_errors_total', 'Sequencer runs that threw.', this.sequencerErrors),
      counter('cairn_sync_storage_errors_total', 'Failed storage writes.', this.storageErrors),
      counter('cairn_sync_storage_write_seconds_total', 'Time spent appending batches to storage.', this.storageWriteSeconds),
    ];
  }

  /** Prometheus text format; every family has HELP and TYPE, counters end in `_total`. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.families) {
      lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
      const samples = family.samples();
      if (samples.length === 0 && family.type === 'counter') samples.push({ value: 0 });
      for (const { labels, value } of samples) lines.push(`${family.name}${formatLabels(labels)} ${formatValue(value)}`);
    }
    this.loopDelay.reset();
    this.storageWriteMax = 0;
    return `${lines.join('\n')}\n`;
  }

  /** Stops the event-loop sampler (the server is closing). */
  close(): void {
    this.loopDelay.disable();
  }
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

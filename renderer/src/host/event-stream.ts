/** One Server-Sent Event. */
export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Incremental Server-Sent Events parser: feed it text chunks as they arrive, it
 * returns the complete events so far (comments and keep-alives are dropped).
 */
export function createEventStreamParser(): (chunk: string) => StreamEvent[] {
  let buffer = '';
  let pendingCR = false;
  return (chunk) => {
    // A CRLF may be split across chunks: hold a trailing CR until the next chunk.
    let text = (pendingCR ? '\r' : '') + chunk;
    pendingCR = text.endsWith('\r');
    if (pendingCR) text = text.slice(0, -1);
    buffer += text.replace(/\r\n?/g, '\n');
    const out: StreamEvent[] = [];
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) out.push({ event, data: data.join('\n') });
    }
    return out;
  };
}

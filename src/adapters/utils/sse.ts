/** One Server-Sent Event as dispatched to a listener. */
export interface SseEvent {
  /** The `event:` field. @default 'message' */
  event: string;
  /** The `data:` lines joined by new lines. */
  data: string;
  id?: string;
}

interface SseParser {
  /** Feeds decoded text; complete events are dispatched as they close. */
  push(text: string): void;
  /** The stream ended: a last event without its closing blank line is still dispatched. */
  end(): void;
}

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML, "Parsing an event stream"). Chunks
 * may split lines anywhere, including between the `\r` and `\n` of a line break.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let buffer = '';
  let started = false;
  let data: string[] = [];
  let event = '';
  let id: string | undefined;

  const dispatch = () => {
    if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), ...(id !== undefined && { id }) });
    data = [];
    event = '';
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  const drain = (final: boolean) => {
    let from = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      // A lone `\r` at the end of a chunk may be the first half of `\r\n`: wait for the next chunk.
      if (c === '\r' && i === buffer.length - 1 && !final) break;
      line(buffer.slice(from, i));
      if (c === '\r' && buffer[i + 1] === '\n') i++;
      from = i + 1;
    }
    buffer = buffer.slice(from);
  };

  return {
    push(text) {
      buffer += text;
      if (!started && buffer.length > 0) {
        started = true;
        if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
      }
      drain(false);
    },
    end() {
      drain(true);
      if (buffer !== '') line(buffer);
      buffer = '';
      dispatch();
    },
  };
}

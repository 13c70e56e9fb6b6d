import { AdapterError, isOwnBug } from './adapter-error.js';

/** Replies past this size are cut and recorded as such rather than held whole in memory. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

interface BodyRead {
  text: string;
  truncated: boolean;
  /** When the first byte of the body arrived, relative to `start`. */
  firstMs: number;
}

/**
 * Reads a body (a fetch Response's stream or a Node response) with a size cap, noting when the first
 * bytes came. Leaving the loop at the cap cancels the rest.
 */
export async function readBody(body: AsyncIterable<Uint8Array> | null, start: number, maxBytes = MAX_BODY_BYTES): Promise<BodyRead> {
  if (!body) return { text: '', truncated: false, firstMs: performance.now() - start };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let firstMs: number | undefined;
  let truncated = false;
  try {
    for await (const value of body) {
      firstMs ??= performance.now() - start;
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (err) {
    throw toAdapterError(err, 'reading the reply');
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated, firstMs: firstMs ?? performance.now() - start };
}

/**
 * Classifies what a request throws: an abort is a timeout, a failure of the connection or the HTTP
 * client a connection failure. A bug in our code (see isOwnBug) is not the target's failure: it is
 * thrown on unchanged, for the runner to record as ours.
 */
export function toAdapterError(err: unknown, doing: string, signal?: AbortSignal): AdapterError {
  // A body cut off by the abort surfaces as a reset connection (already classified so by `readBody`,
  // which cannot see the signal); the abort is what happened.
  if (err instanceof AdapterError) return err.kind === 'connect' && signal?.aborted ? new AdapterError('timeout', `timed out ${doing}`, { cause: err }) : err;
  const e = err as Error & { code?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || signal?.aborted) {
    return new AdapterError('timeout', `timed out ${doing}`, { cause: err });
  }
  if (isOwnBug(err)) throw err;
  const code = e.cause?.code ?? e.code ?? '';
  return new AdapterError('connect', `connection failed ${doing}${code ? ` (${code})` : ''}`, { cause: err });
}

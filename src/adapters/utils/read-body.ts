import { AdapterError } from './adapter-error.js';

/** Replies past this size are cut and recorded as such rather than held whole in memory. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface BodyRead {
  text: string;
  truncated: boolean;
  /** When the first byte of the body arrived, relative to `start`. */
  firstMs: number;
}

/** Reads a fetch body with a size cap, noting when the first bytes came. */
export async function readBody(res: Response, start: number, maxBytes = MAX_BODY_BYTES): Promise<BodyRead> {
  if (!res.body) return { text: '', truncated: false, firstMs: performance.now() - start };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let firstMs: number | undefined;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      firstMs ??= performance.now() - start;
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        truncated = true;
        await reader.cancel();
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

/** Classifies what fetch throws: an abort is a timeout, anything else a connection failure. */
export function toAdapterError(err: unknown, doing: string): AdapterError {
  if (err instanceof AdapterError) return err;
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new AdapterError('timeout', `timed out ${doing}`, { cause: err });
  }
  const code = e.cause?.code ?? '';
  return new AdapterError('connect', `connection failed ${doing}${code ? ` (${code})` : ''}`, { cause: err });
}

interface ProbeOptions {
  /** @default 'HEAD' */
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  /** Statuses that mean up; absent: any answer below 500 (a 404 or 401 still proves the server is there). */
  expectStatus?: number[];
}

/**
 * Asks whether an HTTP endpoint answers at all: the availability probe a circuit breaker uses to
 * notice that a dead target came back. Never throws; an unreachable endpoint or an abort is down.
 */
export async function probeUrl(url: string, opts: ProbeOptions, signal: AbortSignal): Promise<boolean> {
  const ask = async (method: string): Promise<number> => {
    const res = await fetch(url, { method, headers: opts.headers ?? {}, signal, redirect: 'manual' });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  };
  try {
    let status = await ask(opts.method ?? 'HEAD');
    // Some servers do not implement HEAD; that says nothing about whether they are up.
    if (opts.method === undefined && status === 501) status = await ask('GET');
    return opts.expectStatus ? opts.expectStatus.includes(status) : status < 500;
  } catch {
    return false;
  }
}

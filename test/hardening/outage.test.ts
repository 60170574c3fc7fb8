import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startService, tempDir, waitFor, type RunningService } from '../helpers/service.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { REQUEST_DEADLINE_MS } from '../../src/http/deadline.js';

const running: RunningService[] = [];
const dbs: EmbeddedDatabase[] = [];
after(async () => {
  for (const s of running) s.proc.kill('SIGKILL');
  for (const d of dbs) await d.stop();
});

describe('the database stops during load', () => {
  test('requests answer 503 problem+json at once, nothing saved is lost, and service resumes by itself', async () => {
    const dir = tempDir('outage-db');
    let db = await startEmbeddedDatabase({ dir, log: () => undefined });
    dbs.push(db);
    const uri = `${db.uri}/itaku?directConnection=true`;
    const service = await startService({ DATA_DIR: tempDir('outage'), MONGODB_URI: uri });
    running.push(service);
    const password = 'Mokuren-Sazanka-Kusunoki-9';
    assert.equal((await runCli(['user:add', '--email', 'load@city.example.jp', '--name', '負荷 確認', '--role', 'admin'], { MONGODB_URI: uri, DATA_DIR: tempDir('cli'), ITAKU_PASSWORD: password })).code, 0);
    const login = await fetch(`${service.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'load@city.example.jp', password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

    const statuses = new Map<number, number>();
    const acknowledged: string[] = [];
    let slowest = 0;
    const slow: { ms: number; status: number }[] = [];
    const failures: string[] = [];
    let first401 = '';
    let phase = 'before';
    let stop = false;
    let n = 0;
    const loaders = Array.from({ length: 4 }, () =>
      (async () => {
        while (!stop) {
          const code = `L${n++}`;
          const t0 = Date.now();
          let res: Response;
          try {
            res = await fetch(`${service.url}/api/v1/departments`, { method: 'POST', headers, body: JSON.stringify({ code, name: `負荷試験課${code}` }), signal: AbortSignal.timeout(REQUEST_DEADLINE_MS + 15_000) });
          } catch (err) {
            failures.push(`${Date.now() - t0} ms: ${(err as Error).name} ${(err as Error).message}`);
            continue;
          }
          slowest = Math.max(slowest, Date.now() - t0);
          if (Date.now() - t0 > 8000) slow.push({ ms: Date.now() - t0, status: res.status });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 201) acknowledged.push(code);
          if (res.status === 401 && !first401) first401 = `${phase}: ${await res.clone().text()}`;
          if (res.status >= 500) {
            assert.equal(res.status, 503, 'an outage is a 503, never a 500');
            assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
            await new Promise((r) => setTimeout(r, 50));
          }
          await res.arrayBuffer().catch(() => undefined);
        }
      })(),
    );
    await waitFor(() => acknowledged.length >= 20, 20_000, 'writes before the outage');
    phase = 'stopping';
    await db.stop();
    phase = 'stopped';
    await waitFor(() => (statuses.get(503) ?? 0) >= 8, 20_000, 'writes refused during the outage');
    assert.equal((await fetch(`${service.url}/readyz`)).status, 503);
    phase = 'restarting';
    db = await startEmbeddedDatabase({ dir, log: () => undefined });
    phase = 'restarted';
    dbs.push(db);
    const before = acknowledged.length;
    const recovered = await waitFor(() => acknowledged.length > before + 5, 20_000, 'writes to resume by themselves').catch(async (err: Error) => {
      stop = true;
      throw new Error(`${err.message}; first 401 ${first401}; statuses ${JSON.stringify(Object.fromEntries(statuses))}; failures ${failures.slice(0, 3).join(' | ')}; log: ${service.output().split('\n').filter((l) => /"level":(40|50)/.test(l)).slice(-2).join(' ').slice(0, 1200)}`);
    });
    stop = true;
    await Promise.all(loaders);
    process.stdout.write(`# statuses ${JSON.stringify(Object.fromEntries(statuses))}, slowest ${slowest} ms, resumed ${recovered} ms after the restart\n`);
    assert.deepEqual(failures, [], 'no request failed without an answer');
    assert.equal(first401, '', 'nobody was signed out by the outage');
    assert.deepEqual([...statuses.keys()].filter((s) => s !== 201 && s !== 503), [], 'only successes and 503s');
    // Every request is answered: within seconds, except one caught at the instant of the stop in the driver's
    // unbounded wait for `drain` (src/http/deadline.ts), which the request deadline answers with 503.
    assert.ok(slowest < REQUEST_DEADLINE_MS + 5000, `no request hung (slowest ${slowest} ms)`);
    assert.ok(slow.length <= 3 && slow.every((r) => r.status === 503), `only a request caught at the stop is slow, and it is a 503: ${JSON.stringify(slow)}`);

    const all = await fetch(`${service.url}/api/v1/departments?limit=200&archived=include`, { headers: { cookie } });
    const stored = new Set(((await all.json()) as { items: { code: string }[]; total: number }).items.map((d) => d.code));
    const more = await fetch(`${service.url}/api/v1/departments?limit=200&page=2&archived=include`, { headers: { cookie } });
    for (const d of ((await more.json()) as { items: { code: string }[] }).items) stored.add(d.code);
    for (const code of acknowledged) assert.ok(stored.has(code), `acknowledged ${code} survived the outage`);
  });
});

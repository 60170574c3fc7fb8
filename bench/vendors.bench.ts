/**
 * Vendors benchmark: 50 vendors answering at the same time, each saving 150 answers through its own link — the
 * autosave of the vendor form, one request per answer, through the real application on 127.0.0.1.
 *
 * The 150-question template is the scoring bench's synthetic one (every answer type, conditions, follow-ups, must
 * rules, evidence conditions; compiled by the real loader). 50 assessments of it are issued directly through
 * assessmentStore.create (as the workbook bench does) and each gets its vendor link through issueLink. Then 50 clients
 * (bench/load.ts: one keep-alive connection each, in a worker thread) each PUT their 150 answers in template order —
 * `/api/v1/respond/<token>/answers/<questionId>` with version 0, the next when the previous is answered — and the run
 * ends when all 7,500 are answered. Each vendor comes from an address of its own (X-Forwarded-For through a trusted
 * loopback proxy), as 50 companies would.
 *
 * Afterwards the answers are read back from the database: every save answered 200 must be there, at version 1, with
 * the value sent, and there must be 7,500 of them.
 *
 * Bounded: no save starts after ITAKU_BENCH_VENDORS_SECONDS (default 150) seconds of saving, and saves still unanswered
 * ten seconds later are given up (their database work is cut by reconnecting). When the bound stops the run before
 * all 7,500 are saved, the rows say so loudly. ITAKU_BENCH_VENDORS_SECONDS=0 runs all 7,500 however long they take.
 *
 * Latencies are reported for all saves, then split: each vendor's first save also moves its assessment from issued to
 * in_progress (an audited write, so 50 of them at once queue on the audit chain), the later ones do not. Server errors
 * are collected from the app's log and the first is quoted in the report.
 *
 * Needs a database: MONGODB_URI, or the embedded FerretDB started here under /dev/shm (tmpfs) when it exists.
 * Standalone: `node --import tsx bench/vendors.bench.ts`. ITAKU_BENCH_VENDORS (default 50) to try other counts;
 * ITAKU_BENCH_PROFILE=1 prints the database commands of the saving phase (bench/database.ts).
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { cliContext } from '../src/audit/actor.js';
import { assessmentStore, type Assessment } from '../src/assessments/assessment.model.js';
import { AnswerModel, answerId } from '../src/assessments/answers.model.js';
import { issueLink } from '../src/assessments/links.js';
import { mapLimited } from '../src/db/versioned.js';
import { applicableQuestions, type SubjectFacts, type Template } from '../src/questionnaires/index.js';
import { benchConfig, openBenchDatabase, resetProfile } from './database.js';
import { load, MachineLoad, percentile, unexpected } from './load.js';
import { syntheticTemplate } from './scoring.bench.js';
import type { BenchRow } from './types.js';

const VENDORS = Number(process.env.ITAKU_BENCH_VENDORS ?? 50);
/**
 * No save starts after this many seconds of saving, and saves still unanswered GRACE seconds later are given up
 * (0: no bound, all 7,500 however long they take).
 */
const BOUND = Number(process.env.ITAKU_BENCH_VENDORS_SECONDS ?? 150);
const GRACE = 10;
const AREA = 'vendors';
const FACTS: SubjectFacts = {
  kind: 'engagement', confidentiality: { level: '2', rank: 2 }, integrity: 1, availability: 1, personalData: true, myNumber: false,
  segment: null, placement: null, contractType: null, serviceModel: null, generativeAi: false, systemWork: true, workLocation: 'vendor_site',
  remoteAccess: false, vendorOperatesSns: false, vendorUsesGenerativeAi: false, criticalDependency: false, disasterInformation: false, date: '2027-08-01',
};

const progress = (line: string) => process.stderr.write(`  vendors: ${line}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function issued(template: Template, n: number): Promise<{ assessment: Assessment; token: string }> {
  const preview = applicableQuestions(template, FACTS, {});
  const a = await assessmentStore.create(cliContext('bench'), 'assessment.issue', {
    subject: { kind: 'engagement', id: new mongoose.Types.ObjectId().toHexString(), name: `ベンチマーク業務${n}` }, departmentId: null, vendorName: `ベンチ株式会社${n}`,
    templateId: template.id, templateVersion: template.version, template, facts: FACTS, tier: { tier: 2, reasons: [] },
    applicableAtIssue: preview.applicable, excludedAtIssue: [], issuedOn: FACTS.date, dueDate: '2027-09-30', respondent: 'vendor', language: 'ja',
    preparer: { id: 'bench', name: 'ベンチ' }, status: 'issued', link: null, submittedAt: null, clarification: null, cancellation: null, decision: null,
  });
  const { token, assessment } = await issueLink(cliContext('bench'), a);
  return { assessment, token };
}

/** A valid answer for each question (follow-ups apply, since no trigger is answered "no"). */
function valueFor(q: Template['questions'][number]): unknown {
  const a = q.answer;
  switch (a.type) {
    case 'yes-no':
      return 'yes';
    case 'single-choice':
      return a.options[0]!.id;
    case 'multiple-choice':
      return a.options.slice(0, 2).map((o) => o.id);
    case 'number':
      return 12;
    default:
      return '規程に定め、年1回見直しています。';
  }
}

export async function run(): Promise<BenchRow[]> {
  const loadAtStart = MachineLoad.loadavg();
  const db = await openBenchDatabase('vendors');
  let server: http.Server | undefined;
  try {
    const config = benchConfig();
    // Server errors are collected (not printed), so a 500 can be explained in the report.
    const errors: string[] = [];
    let errorCount = 0;
    const errorSink = new Writable({
      write(chunk: Buffer, _enc, done) {
        let e: { msg?: string; responseTime?: number; err?: { type?: string; message?: string } } = {};
        try {
          e = JSON.parse(chunk.toString('utf8')) as typeof e;
        } catch {
          e = { msg: chunk.toString('utf8').slice(0, 300) };
        }
        // pino-http logs each failed response once more ("failed with status code 500"): count the cause only.
        if (e.responseTime === undefined) {
          errorCount++;
          if (errors.length < 3) errors.push(`${e.err?.type ?? ''} ${e.err?.message ?? e.msg ?? ''}`.trim());
        }
        done();
      },
    });
    const app = createApp({ config, logger: createLogger('error', errorSink) });
    const template = syntheticTemplate();
    const values = new Map(template.questions.map((q) => [q.id, valueFor(q)]));

    progress(`issuing ${VENDORS} assessments of ${template.questions.length} questions, each with its link`);
    let t = performance.now();
    const vendors = await mapLimited(Array.from({ length: VENDORS }, (_, i) => i), 4, (i) => issued(template, i));
    const issueMs = performance.now() - t;

    server = http.createServer(app);
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;

    progress(`${VENDORS} vendors saving ${template.questions.length} answers each${BOUND ? ` (for at most ${BOUND} s + ${GRACE} s)` : ''}`);
    const machine = new MachineLoad(db.pids);
    resetProfile();
    const result = await load({
      port,
      expectStatus: 200,
      keepStatuses: true,
      ...(BOUND > 0 ? { seconds: BOUND, graceSeconds: GRACE } : { timeoutSeconds: 3 * 3600 }),
      onProgress: (n) => progress(`${n} saves answered`),
      spreadAddresses: { first: 1, perAddress: 1000 },
      clients: vendors.map((v) => ({
        requests: template.questions.map((q) => ({ method: 'PUT' as const, path: `/api/v1/respond/${v.token}/answers/${q.id}`, body: { value: values.get(q.id), version: 0 } })),
      })),
    });
    const others = machine.othersShare();
    const used = machine.used();
    // Errors from here on are the given-up saves failing at the reconnect below: not counted.
    const serverErrors = errorCount;
    const serverErrorSamples = [...errors];
    if (result.unfinished) {
      // The server is still working on the saves given up: cut their database work short before reading back.
      progress(`${result.unfinished} saves unanswered after the grace period: reconnecting to end their work`);
      server.closeAllConnections();
      await db.reconnect();
    }

    progress('reading the answers back');
    t = performance.now();
    const total = VENDORS * template.questions.length;
    const stored = new Map(
      ((await AnswerModel.find({}, { _id: 1, version: 1, value: 1 }).lean()) as { _id: string; version: number; value: unknown }[]).map((d) => [d._id, d]),
    );
    // Each vendor saves in template order: its k-th status is the answer to its k-th question.
    let acked = 0;
    let missing = 0;
    let wrong = 0;
    let unsure = 0;
    vendors.forEach((v, k) => {
      (result.statusLists?.[k] ?? []).forEach((status, i) => {
        const d = stored.get(answerId(v.assessment._id, template.questions[i]!.id));
        if (status !== '200') {
          if (d) unsure++;
          return;
        }
        acked++;
        if (!d) missing++;
        else if (d.version !== 1 || JSON.stringify(d.value) !== JSON.stringify(values.get(template.questions[i]!.id))) wrong++;
      });
    });
    const verifyMs = performance.now() - t;

    const finished = result.requests - result.unfinished;
    const bad = unexpected(result, 200);
    const exact = missing === 0 && wrong === 0 && stored.size === acked + unsure;
    const rate = acked / result.seconds;
    const busy = Number.isFinite(others) ? `others used ${Math.round(others * 100)} % of the CPU${others > 0.25 ? ' — BUSY, repeat' : ''}` : '';
    if (result.samples.length) progress(`unexpected answers, e.g.:\n    ${result.samples.join('\n    ')}`);
    if (serverErrors) progress(`${serverErrors} server errors logged, e.g.:\n    ${serverErrorSamples.join('\n    ')}`);
    const storedNote =
      acked === total && exact
        ? `all ${total.toLocaleString('en')} stored, each at version 1 with the value sent (read back in ${round(verifyMs, 0)} ms)`
        : exact
          ? `!!! NOT ALL ${total.toLocaleString('en')} — only ${acked.toLocaleString('en')} saved before the ${BOUND} s bound (+${GRACE} s for answers); each of those is stored at version 1 with the value sent${unsure ? ` (and ${unsure} saves that did not answer 200 were stored too)` : ''}; at this rate all ${total.toLocaleString('en')} would take at least ~${round(total / rate / 60, 0)} min (ITAKU_BENCH_VENDORS_SECONDS=0 runs them all) !!!`
          : `!!! NOT ALL STORED: ${missing} of ${acked} saves answered 200 are missing, ${wrong} have a wrong value or version; ${stored.size} answer documents in all !!!`;
    const p = (q: number) => round(percentile(result.latenciesMs, q));
    const lists = result.latencyLists ?? [];
    const firsts = lists.flatMap((l) => l.slice(0, 1));
    const later = lists.flatMap((l) => l.slice(1));
    const cut = result.unfinished ? ` — at least: ${result.unfinished} saves still unanswered ${GRACE} s after the bound count with the time waited so far` : '';
    return [
      { area: AREA, measure: `issue ${VENDORS} assessments of ${template.questions.length} questions with their links`, value: round(issueMs / 1000), unit: 's', note: 'assessmentStore.create + issueLink, four at a time' },
      {
        area: AREA,
        measure: `${VENDORS} concurrent vendors × ${template.questions.length} answer saves: total time`,
        value: round(result.seconds),
        unit: 's',
        note: [acked < total ? `STOPPED at the ${BOUND} s bound: ${acked.toLocaleString('en')} of ${total.toLocaleString('en')} saved` : '', busy].filter(Boolean).join('; '),
      },
      {
        area: AREA,
        measure: 'throughput',
        value: round(rate),
        unit: 'saves/s',
        note: Number.isFinite(used.helpers) && finished ? `CPU per answered save: database ${round((used.helpers * 1000) / finished, 0)} ms, server thread ${round((used.main * 1000) / finished, 0)} ms` : '',
      },
      { area: AREA, measure: 'per save p50', value: p(0.5), unit: 'ms', note: `${VENDORS} saves in flight at any time${cut ? ' (unanswered ones included)' : ''}` },
      { area: AREA, measure: 'per save p99', value: p(0.99), unit: 'ms', note: `max ${round(percentile(result.latenciesMs, 1), 0)} ms${cut}` },
      {
        area: AREA,
        measure: `of which each vendor's first save, p50 / p99`,
        value: round(percentile(firsts, 0.5)),
        unit: 'ms',
        note: `p99 ${round(percentile(firsts, 0.99), 0)} ms over ${firsts.length}: the first save also moves the assessment to in_progress (an audited write; all ${VENDORS} at once)`,
      },
      {
        area: AREA,
        measure: 'of which the later saves, p50 / p99',
        value: later.length ? round(percentile(later, 0.5)) : NaN,
        unit: 'ms',
        note: later.length ? `p99 ${round(percentile(later, 0.99), 0)} ms over ${later.length}` : 'none got that far',
      },
      {
        area: AREA,
        measure: 'saves answered 200',
        value: acked,
        unit: `of ${result.requests}`,
        note: bad
          ? `OTHER ANSWERS: ${bad}${serverErrorSamples[0] ? ` — ${serverErrors} server errors, e.g. ${serverErrorSamples[0].slice(0, 200)}` : result.samples[0] ? ` — e.g. ${result.samples[0].slice(0, 160)}` : ''}`
          : 'every save answered 200',
      },
      { area: AREA, measure: 'answers stored (read back from the database)', value: stored.size, unit: `of ${total}`, note: storedNote },
      { area: AREA, measure: 'machine: 1-minute load average at start / at end', value: round(loadAtStart, 2), unit: '', note: `at end ${round(MachineLoad.loadavg(), 2)} on ${os.cpus().length} cores` },
    ];
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.area}\t${row.measure}\t${row.value} ${row.unit}${row.note ? `\t(${row.note})` : ''}`);
}

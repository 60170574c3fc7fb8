import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, STATUSES, type AssessmentStatus } from '../../src/assessments/status.js';
import { checkAnswerValue } from '../../src/assessments/answer-value.js';
import { sanitiseFilename, attachmentHeader } from '../../src/assessments/evidence.js';
import { html, escapeHtml } from '../../src/web/html.js';
import type { Question } from '../../src/questionnaires/index.js';

describe('the status flow', () => {
  const legal: [AssessmentStatus, AssessmentStatus][] = [
    ['draft', 'issued'], ['issued', 'in_progress'], ['issued', 'submitted'], ['in_progress', 'submitted'], ['submitted', 'under_review'],
    ['under_review', 'decided'], ['under_review', 'clarification_requested'], ['clarification_requested', 'in_progress'], ['clarification_requested', 'submitted'],
    ['draft', 'cancelled'], ['issued', 'cancelled'], ['in_progress', 'cancelled'], ['submitted', 'cancelled'], ['under_review', 'cancelled'], ['clarification_requested', 'cancelled'],
  ];
  test('allows exactly the transitions of the contract', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        assert.equal(canTransition(from, to), expected, `${from} → ${to}`);
      }
    }
  });
  test('a decided or cancelled assessment goes nowhere', () => {
    for (const to of STATUSES) {
      assert.equal(canTransition('decided', to), false);
      assert.equal(canTransition('cancelled', to), false);
    }
  });
});

const q = (answer: Question['answer']): Question => ({
  id: 'X01', section: 'A', text: { ja: '試験' }, answer, weight: 1, must: { level: '○', rules: [] }, evidence: { level: 'none' }, sources: {}, line: 1,
});

describe('answer values are checked against the issued question', () => {
  const cases: [string, Question, unknown, boolean, unknown?][] = [
    ['yes', q({ type: 'yes-no', partial: true, notApplicable: false }), 'yes', true, 'yes'],
    ['partial when allowed', q({ type: 'yes-no', partial: true, notApplicable: false }), 'partial', true],
    ['partial when not allowed', q({ type: 'yes-no', partial: false, notApplicable: false }), 'partial', false],
    ['N/A when not allowed', q({ type: 'yes-no', partial: true, notApplicable: false }), 'na', false],
    ['N/A when allowed', q({ type: 'yes-no', partial: true, notApplicable: true }), 'na', true, 'na'],
    ['an operator object', q({ type: 'yes-no', partial: true, notApplicable: false }), { $gt: '' }, false],
    ['a known option', q({ type: 'single-choice', options: [{ id: 'a', label: { ja: 'A' }, points: 1 }], notApplicable: false }), 'a', true],
    ['an unknown option', q({ type: 'single-choice', options: [{ id: 'a', label: { ja: 'A' }, points: 1 }], notApplicable: false }), 'b', false],
    ['several options, deduplicated, in template order', q({ type: 'multiple-choice', options: [{ id: 'a', label: { ja: 'A' }, points: 0.5 }, { id: 'b', label: { ja: 'B' }, points: 0.5 }], notApplicable: false }), ['b', 'a', 'b'], true, ['a', 'b']],
    ['an empty choice list', q({ type: 'multiple-choice', options: [{ id: 'a', label: { ja: 'A' }, points: 1 }], notApplicable: false }), [], false],
    ['a number in range', q({ type: 'number', unit: { ja: '時間' }, min: 0, max: 720, integer: true, thresholds: [], otherwise: 0, notApplicable: false }), 24, true, 24],
    ['a numeric string', q({ type: 'number', unit: { ja: '時間' }, min: 0, max: 720, integer: true, thresholds: [], otherwise: 0, notApplicable: false }), '72', true, 72],
    ['a fraction where integers are asked', q({ type: 'number', unit: { ja: '時間' }, min: 0, max: 720, integer: true, thresholds: [], otherwise: 0, notApplicable: false }), 1.5, false],
    ['out of range', q({ type: 'number', unit: { ja: '時間' }, min: 0, max: 720, integer: true, thresholds: [], otherwise: 0, notApplicable: false }), 1e12, false],
    ['Infinity-like text', q({ type: 'number', unit: { ja: '時間' }, min: 0, max: 720, integer: false, thresholds: [], otherwise: 0, notApplicable: false }), 'Infinity', false],
    ['a real date', q({ type: 'date', notApplicable: false }), '2026-04-01', true],
    ['an impossible date', q({ type: 'date', notApplicable: false }), '2026-02-30', false],
    ['Japanese text', q({ type: 'text', maxLength: 100, notApplicable: false }), '東京都千代田区の自社データセンター', true],
    ['text over the limit', q({ type: 'text', maxLength: 5, notApplicable: false }), 'あいうえおか', false],
    ['text with a NUL', q({ type: 'text', maxLength: 100, notApplicable: false }), 'a\u0000b', false],
    ['a value for a file question', q({ type: 'file', notApplicable: false }), 'x', false],
    ['null clears', q({ type: 'text', maxLength: 10, notApplicable: false }), null, true, null],
  ];
  for (const [name, question, raw, ok, expected] of cases) {
    test(name, () => {
      const r = checkAnswerValue(question, raw);
      assert.equal(r.ok, ok, JSON.stringify(r));
      if (ok && expected !== undefined && r.ok) assert.deepEqual(r.value, expected);
      if (!r.ok) assert.ok(r.message.length > 0);
    });
  }
});

describe('files and pages are safe to show', () => {
  test('uploaded file names lose paths, controls and their claimed extension', () => {
    assert.equal(sanitiseFilename('../../etc/passwd', 'pdf'), 'passwd.pdf');
    assert.equal(sanitiseFilename('C:\\Users\\x\\証明書.exe', 'pdf'), '証明書.pdf');
    assert.equal(sanitiseFilename('a\u202Efdp.exe', 'png'), 'afdp.png');
    assert.equal(sanitiseFilename('', 'jpg'), 'evidence.jpg');
    assert.equal(sanitiseFilename('x'.repeat(500) + '.pdf', 'pdf').length, 124);
  });
  test('the download header is always an attachment with an encoded UTF-8 name', () => {
    assert.equal(attachmentHeader('監査報告書.pdf'), `attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('監査報告書.pdf')}`);
  });
  test('interpolated text is escaped in pages', () => {
    assert.equal(html`<p>${'<script>alert(1)</script>'}</p>`.value, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    assert.equal(escapeHtml(`"'\`&`), '&quot;&#39;&#96;&amp;');
  });
});

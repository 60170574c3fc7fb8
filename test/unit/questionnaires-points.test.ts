import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerPoints, type AnswerSpec } from '../../src/questionnaires/index.js';

const yesNo: AnswerSpec = { type: 'yes-no', partial: true, notApplicable: false };
const pledge: AnswerSpec = { type: 'yes-no', partial: false, notApplicable: true };
const choice: AnswerSpec = {
  type: 'single-choice',
  notApplicable: false,
  options: [
    { id: 'full', label: { ja: '全部' }, points: 1 },
    { id: 'some', label: { ja: '一部' }, points: 0.75 },
  ],
};
const multi: AnswerSpec = {
  type: 'multiple-choice',
  notApplicable: false,
  options: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, label: { ja: id }, points: id === 'e' ? 0.1 : 0.25 })),
};
const hours: AnswerSpec = {
  type: 'number',
  unit: { ja: '時間' },
  min: 0,
  max: 720,
  integer: false,
  thresholds: [
    { bound: 'max', value: 24, points: 1 },
    { bound: 'max', value: 72, points: 0.5 },
  ],
  otherwise: 0,
  notApplicable: false,
};
const uptime: AnswerSpec = {
  type: 'number',
  unit: { ja: '%' },
  min: 0,
  max: 100,
  integer: false,
  thresholds: [
    { bound: 'min', value: 99.9, points: 1 },
    { bound: 'min', value: 99.5, points: 0.5 },
  ],
  otherwise: 0,
  notApplicable: true,
};
const days: AnswerSpec = { ...uptime, unit: { ja: '日' }, max: 3650, integer: true, thresholds: [] } as AnswerSpec;

const rows: [string, AnswerSpec, unknown, number | 'review' | 'na' | null][] = [
  ['yes', yesNo, 'yes', 1],
  ['partial', yesNo, 'partial', 0.5],
  ['no', yesNo, 'no', 0],
  ['N/A where not allowed', yesNo, 'na', null],
  ['partial on a pledge', pledge, 'partial', null],
  ['N/A where allowed', pledge, 'na', 'na'],
  ['unanswered', yesNo, undefined, null],
  ['blank', yesNo, '  ', null],
  ['an option', choice, 'some', 0.75],
  ['an unknown option', choice, 'most', null],
  ['two options', multi, ['a', 'b'], 0.5],
  ['options summing past 1 are capped', multi, ['a', 'b', 'c', 'd', 'e'], 1],
  ['sums stay on the 0.05 grid', multi, ['e', 'e', 'a'], 0.35],
  ['an unknown option among others', multi, ['a', 'z'], null],
  ['a string for a multiple choice', multi, 'a', null],
  ['N/A sent as a list, not allowed', multi, ['na'], null],
  ['N/A sent as a list, allowed', { ...multi, notApplicable: true } as AnswerSpec, ['na'], 'na'],
  ['first report in 24 h', hours, 24, 1],
  ['first report in 24.5 h', hours, 24.5, 0.5],
  ['first report in 72 h', hours, 72, 0.5],
  ['first report in 100 h', hours, 100, 0],
  ['hours out of range', hours, 721, null],
  ['hours as text', hours, '24', null],
  ['NaN hours', hours, Number.NaN, null],
  ['99.95 % uptime', uptime, 99.95, 1],
  ['99.5 % uptime', uptime, 99.5, 0.5],
  ['99 % uptime', uptime, 99, 0],
  ['a number without thresholds goes to review', days, 365, 'review'],
  ['a fraction where integers are asked', days, 36.5, null],
  ['a date', { type: 'date', notApplicable: false }, '2027-03-31', 'review'],
  ['an impossible date', { type: 'date', notApplicable: false }, '2027-02-30', null],
  ['a text', { type: 'text', maxLength: 10, notApplicable: false }, '山田 太郎', 'review'],
  ['a text too long', { type: 'text', maxLength: 3, notApplicable: false }, '山田 太郎', null],
  ['a file', { type: 'file', notApplicable: false }, { fileId: 'f1' }, 'review'],
];
for (const [name, spec, value, expected] of rows) {
  test(`${name} → ${String(expected)}`, () => assert.equal(answerPoints(spec, value), expected));
}

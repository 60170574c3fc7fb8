/** 4月の引継ぎ: preview which records name a person, then move them all to another as one batch. */
import type { Router } from 'express';
import { html } from '../html.js';
import { authorize } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { AppError } from '../../http/errors.js';
import { PersonModel } from '../../org/index.js';
import { applyHandover, handoverCandidates } from '../../handover/index.js';
import { handoverPeople } from '../../handover/handover.commands.js';
import { KIND_LABELS, PERSON_ROLE_LABELS } from '../../records/subject.js';
import type { SubjectKind } from '../../records/subject.types.js';
import { csrfField, heading, render } from './layout.js';
import { errorSummary, field, formErrors, type FormState } from './forms.js';
import { KIND_BASES } from './subjects.js';
import type { ConsoleContext } from './index.js';

export function mountHandoverPages(router: Router, _ctx: ConsoleContext): void {
  router.get('/handover', async (req, res) => {
    const user = principalOf(req);
    authorize(user, 'handover');
    const people = await PersonModel.find({ archivedAt: null }).sort({ nameKana: 1 }).lean();
    const options = people.map((p) => ({ value: p._id, label: `${p.name}${p.title ? `（${p.title}）` : ''}${p.active ? '' : ' [無効]'}` }));
    const from = typeof req.query.from === 'string' ? req.query.from : '';
    const to = typeof req.query.to === 'string' ? req.query.to : '';
    let state: FormState = { values: { from, to }, errors: {} };
    let preview = html``;
    if (from && to) {
      try {
        const who = await handoverPeople(from, to);
        const items = await handoverCandidates(user, from);
        preview = html`<h2>プレビュー: ${who.from.name} → ${who.to.name}（${items.length}件）</h2>
${items.length ? html`<div class="table-wrap"><table class="list"><thead><tr><th scope="col">種類</th><th scope="col">名称</th><th scope="col">役割</th><th scope="col" class="num">版</th></tr></thead><tbody>${items.map((i) => html`<tr><td>${KIND_LABELS[i.kind]}</td><td><a href="${KIND_BASES[i.kind]}/${i.id}">${i.name}</a></td><td>${i.roles.map((r) => PERSON_ROLE_LABELS[r]).join('、')}</td><td class="num">${i.version}</td></tr>`)}</tbody></table></div>
<form method="post" action="/handover" data-confirm="${items.length}件の記録の担当者を${who.to.name}に変更します。よろしいですか。">${csrfField(req)}<input type="hidden" name="from" value="${from}"><input type="hidden" name="to" value="${to}">
${items.map((i) => html`<input type="hidden" name="expected" value="${i.kind}:${i.id}:${i.version}">`)}
<p>プレビューの後に記録が変更された場合は、何も変更せずにお知らせします。</p><button type="submit" class="primary">${items.length}件をまとめて引き継ぐ</button></form>` : html`<p class="muted">引き継ぐ記録はありません。</p>`}`;
      } catch (err) {
        const f = formErrors(err);
        if (!f) throw err;
        state = { values: { from, to }, ...f };
      }
    }
    await render(req, res, {
      title: '担当者の引継ぎ',
      active: 'handover',
      body: html`${heading('担当者の引継ぎ（人事異動）')}<p>異動・退職する人が責任者・管理者・運用担当者になっている記録を、後任の人にまとめて引き継ぎます。${user.roles.includes('procurement') && !user.roles.some((r) => r === 'ciso' || r === 'security_officer') ? '所管課の記録だけが対象です。' : ''}</p>
${req.query.done ? html`<div class="notice" role="status">${String(req.query.done)}件の記録を引き継ぎました。</div>` : ''}${errorSummary(state)}
<form method="get" action="/handover" class="filters">${field({ name: 'from', label: '引継ぎ元（前任）', type: 'select', required: true, options }, state)}${field({ name: 'to', label: '引継ぎ先（後任）', type: 'select', required: true, options }, state)}<div class="field"><button type="submit">対象を確認する</button></div></form>
${preview}`,
    });
  });

  router.post('/handover', async (req, res) => {
    const user = principalOf(req);
    authorize(user, 'handover');
    const body = req.body as { from?: string; to?: string; expected?: string | string[] };
    const expected = (Array.isArray(body.expected) ? body.expected : body.expected ? [body.expected] : []).map((e) => {
      const [kind, id, version] = e.split(':');
      if (!kind || !id || !KIND_BASES[kind as SubjectKind]) throw new AppError('validation_failed', '引継ぎの指定が正しくありません', 400);
      return { kind: kind as SubjectKind, id, version: Number(version) };
    });
    const done = await applyHandover(contextOf(req), user, String(body.from ?? ''), String(body.to ?? ''), expected);
    res.redirect(303, `/handover?done=${done.items.length}`);
  });
}

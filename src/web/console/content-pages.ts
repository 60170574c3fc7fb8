/** 様式・条項: read-only views of the questionnaire templates and the annex clause library, with their validation. */
import path from 'node:path';
import type { Router } from 'express';
import { html, type Html } from '../html.js';
import { authorize } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { AppError } from '../../http/errors.js';
import { checkContent, findTemplate, presentTemplate, templatesInUse, type ContentProblem } from '../../questionnaires/index.js';
import { checkExports } from '../../documents/index.js';
import { heading, render } from './layout.js';
import { KIND_LABELS } from '../../records/subject.js';
import type { SubjectKind } from '../../records/subject.types.js';
import type { ConsoleContext } from './index.js';

function problems(list: readonly ContentProblem[], roots: readonly string[]): Html {
  if (list.length === 0) return html`<p class="notice" role="status">検査の結果: 問題はありません。</p>`;
  const rel = (file: string) => {
    for (const r of roots) if (file.startsWith(r)) return path.relative(r, file);
    return path.basename(file);
  };
  return html`<div class="errors" role="alert"><h2>検査の結果: ${list.length}件の問題があります</h2><ul>${list.map((p) => html`<li><code>${rel(p.file)}:${p.line}</code> ${p.message}</li>`)}</ul></div>`;
}

const subjectsText = (subjects: readonly string[]) => subjects.map((s) => KIND_LABELS[s as SubjectKind] ?? s).join('・');

export function mountContentPages(router: Router, ctx: ConsoleContext): void {
  router.get('/admin/templates', async (req, res) => {
    authorize(principalOf(req), 'reference.read');
    const check = checkContent(ctx.content.roots);
    const inUse = new Set(templatesInUse(ctx.content.templates).map((t) => t.key));
    await render(req, res, {
      title: '質問票の様式', active: 'content',
      body: html`${heading('質問票の様式', html`<a class="button" href="/admin/clauses">特記事項の条項集</a>`)}
<p>様式は questionnaires/ フォルダの YAML ファイルです（団体ごとの追加・変更は CONTENT_DIR）。公開した版は内容が固定され、変更するには新しい版を公開します。この画面は参照のみです。</p>
${problems(check.problems, ctx.content.roots)}
<div class="table-wrap"><table class="list"><thead><tr><th scope="col">様式</th><th scope="col">ID・版</th><th scope="col">対象</th><th scope="col">回答者</th><th scope="col" class="num">設問数</th><th scope="col">状態</th></tr></thead><tbody>
${ctx.content.templates.map((t) => html`<tr><td><a href="/admin/templates/${t.id}?version=${t.version}">${t.title.ja}</a></td><td>${t.id} 第${t.version}版</td><td>${subjectsText(t.subjects)}</td><td>${t.respondent === 'vendor' ? '事業者' : '職員'}</td><td class="num">${t.questions.length}</td><td>${t.status === 'published' ? '公開' : '下書き'}${inUse.has(t.key) ? '（使用中）' : ''}</td></tr>`)}
</tbody></table></div>`,
    });
  });

  router.get('/admin/templates/:id', async (req, res) => {
    authorize(principalOf(req), 'reference.read');
    const version = Number.parseInt(String(req.query.version ?? ''), 10);
    const t = findTemplate(ctx.content.templates, String(req.params.id), Number.isFinite(version) ? version : undefined);
    if (!t) throw new AppError('not_found', '指定された様式はありません', 404);
    const view = presentTemplate(t);
    await render(req, res, {
      title: view.title.ja, active: 'content', crumbs: [['質問票の様式', '/admin/templates']],
      body: html`${heading(view.title.ja)}<dl class="facts"><dt>ID・版</dt><dd>${view.id} 第${view.version}版（${view.status === 'published' ? '公開' : '下書き'}）</dd><dt>対象</dt><dd>${subjectsText(view.subjects)}</dd>
<dt>回答者</dt><dd>${view.respondent === 'vendor' ? '事業者' : '職員'}</dd>${view.when ? html`<dt>使う条件</dt><dd><code>${view.when.text}</code> — ${view.when.description.ja}</dd>` : ''}<dt>内容のハッシュ</dt><dd><code>${view.sha256}</code></dd></dl>
${view.sections.map((s) => html`<h2>${s.title.ja}</h2><div class="table-wrap"><table class="list"><thead><tr><th scope="col">設問</th><th scope="col">内容</th><th scope="col">回答の形式</th><th scope="col" class="num">重み</th><th scope="col">必須度</th><th scope="col">適用の条件</th><th scope="col">証跡</th></tr></thead><tbody>
${s.questions.map((q) => html`<tr><td>${q.id}</td><td>${q.text.ja}</td><td>${q.answer.type}</td><td class="num">${q.weight}</td><td>${q.must.level}${q.must.rules.map((r) => html`<br><span class="muted">${r.description.ja}</span>`)}</td><td>${q.applies ? html`<code>${q.applies.text}</code><br>${q.applies.description.ja}` : q.followUp ? html`${q.followUp.of} の追問: ${q.followUp.when?.description.ja ?? ''}` : '常に'}</td><td>${q.evidence.level === 'none' ? '—' : q.evidence.level === 'required' ? '必要' : '任意'}${q.evidence.what ? html`<br><span class="muted">${q.evidence.what.ja}</span>` : ''}</td></tr>`)}</tbody></table></div>`)}`,
    });
  });

  router.get('/admin/clauses', async (req, res) => {
    authorize(principalOf(req), 'reference.read');
    const check = checkExports(ctx.content.roots);
    const lib = check.library;
    await render(req, res, {
      title: '特記事項の条項集', active: 'content', crumbs: [['質問票の様式', '/admin/templates']],
      body: html`${heading('特記事項の条項集')}<p>契約書別紙「情報セキュリティに関する特記事項」の条項は exports/annex/ の YAML ファイルです。この画面は参照のみです。</p>
${problems(check.problems, ctx.content.roots)}
${lib ? html`<dl class="facts"><dt>題名</dt><dd>${lib.title}</dd><dt>版</dt><dd>第${lib.version}版</dd><dt>内容のハッシュ</dt><dd><code>${lib.sha256}</code></dd><dt>台帳の様式</dt><dd>${[...check.layouts.keys()].join('、')}</dd></dl>
${lib.modules.map((m) => html`<h2>${m.label}</h2>${m.when ? html`<p>使う条件: <code>${m.when.text}</code></p>` : html`<p class="muted">常に使います。</p>`}<ul>${lib.clauses.filter((c) => c.moduleId === m.id).map((c) => html`<li><strong>${c.title}</strong> <span class="muted">(${c.id})</span>${c.when ? html` — 条件: <code>${c.when.text}</code>` : ''}（${c.paragraphs.length}項）</li>`)}</ul>`)}` : ''}`,
    });
  });
}

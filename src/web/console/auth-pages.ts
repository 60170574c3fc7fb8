/** Sign-in (with the second factor), sign-out, the account page, password change and TOTP enrolment. */
import type { Request, Response, Router } from 'express';
import { html } from '../html.js';
import { AppError } from '../../http/errors.js';
import { signIn, signOut } from '../../auth/sign-in.js';
import { changeOwnPassword } from '../../auth/users.commands.js';
import { confirmTotp, enrolTotp, removeTotp } from '../../auth/totp.js';
import { userStore } from '../../auth/user.model.js';
import { verifyPassword } from '../../auth/password.js';
import { PRIVILEGED_ROLES } from '../../auth/roles.js';
import { SESSION_COOKIE } from '../../auth/session.js';
import { authorize } from '../../auth/policy.js';
import { principalOf } from '../../auth/principal.js';
import { contextOf } from '../../audit/actor.js';
import { getSettings } from '../../settings/index.js';
import { departmentStore } from '../../org/index.js';
import { csrfField, heading, notice, render } from './layout.js';
import { blankState, errorSummary, field, formErrors, type FormState } from './forms.js';
import { rolesText } from './format.js';
import { safeNext, type ConsoleContext } from './index.js';

function loginPage(req: Request, res: Response, state: FormState, next: string, status = 200) {
  return render(req, res, {
    title: 'サインイン',
    status,
    body: html`<div class="narrow-box"><h1>サインイン</h1>
${notice(req.query.signedOut ? 'サインアウトしました。' : null)}
${errorSummary(state)}
<form method="post" action="/login" novalidate>${csrfField(req)}
<input type="hidden" name="next" value="${next}">
${field({ name: 'email', label: 'メールアドレス', type: 'email', required: true, autocomplete: 'username' }, state)}
${field({ name: 'password', label: 'パスワード', type: 'password', required: true, autocomplete: 'current-password' }, state)}
${field({ name: 'otp', label: '確認コード（二要素認証）', autocomplete: 'one-time-code', size: 'short', hint: '二要素認証を設定している場合は、認証アプリの6桁のコード又は回復用コードを入力してください。' }, state)}
<div class="form-actions"><button type="submit" class="primary">サインイン</button></div>
</form></div>`,
  });
}

const LOGIN_FIELD: Record<string, string> = { otp_required: 'otp', invalid_otp: 'otp' };

export function mountAuthPages(router: Router, ctx: ConsoleContext): void {
  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, safeNext(req.query.next));
    return loginPage(req, res, blankState(), safeNext(req.query.next));
  });

  router.post('/login', async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const next = safeNext(body.next);
    const state: FormState = blankState({ email: body.email ?? '' });
    const email = (body.email ?? '').trim();
    const password = body.password ?? '';
    if (!email) state.errors.email = 'メールアドレスを入力してください';
    if (!password) state.errors.password = 'パスワードを入力してください';
    if (Object.keys(state.errors).length) return loginPage(req, res, { ...state, message: '入力内容を確認してください' }, next, 400);
    try {
      const { user } = await signIn(req, ctx.config, { email, password, otp: body.otp?.trim() || undefined });
      if (user.mustChangePassword) return res.redirect(303, '/account/password');
      if (user.totpEnrolmentRequired) return res.redirect(303, '/account/totp');
      return res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      if (err.status === 429 && err.extra?.retryAfter) res.setHeader('Retry-After', String(err.extra.retryAfter));
      const where = LOGIN_FIELD[err.code];
      return loginPage(req, res, { ...state, message: err.message, errors: where ? { [where]: err.message } : {} }, next, err.status);
    }
  });

  router.post('/logout', async (req, res) => {
    if (req.user) await signOut(req, contextOf(req), req.user.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login?signedOut=1');
  });

  router.get('/account', async (req, res) => {
    const user = principalOf(req);
    authorize(user, 'self');
    const dept = user.departmentId ? await departmentStore.get(user.departmentId) : null;
    const done = req.query.done === 'password' ? 'パスワードを変更しました。' : req.query.done === 'totp' ? '二要素認証を設定しました。' : req.query.done === 'totp-removed' ? '二要素認証を解除しました。' : null;
    await render(req, res, {
      title: 'アカウント',
      body: html`${heading('アカウント')}${notice(done)}
${user.mustChangePassword ? html`<div class="errors" role="alert"><p>パスワードの変更が必要です。<a href="/account/password">パスワードを変更する</a></p></div>` : ''}
${user.totpEnrolmentRequired ? html`<div class="errors" role="alert"><p>この団体では、あなたの役割に二要素認証が必須です。<a href="/account/totp">二要素認証を設定する</a></p></div>` : ''}
<dl class="facts"><dt>氏名</dt><dd>${user.name}</dd><dt>メールアドレス</dt><dd>${user.email}</dd><dt>役割</dt><dd>${rolesText(user.roles)}</dd><dt>部署</dt><dd>${dept?.name ?? '—'}</dd>
<dt>二要素認証</dt><dd>${user.totpEnabled ? '設定済み' : '未設定'}</dd></dl>
<ul class="links"><li><a href="/account/password">パスワードを変更する</a></li><li><a href="/account/totp">二要素認証（TOTP）の設定</a></li></ul>`,
    });
  });

  const passwordPage = (req: Request, res: Response, state: FormState, status = 200) =>
    render(req, res, {
      title: 'パスワードの変更',
      status,
      crumbs: [['アカウント', '/account']],
      body: html`${heading('パスワードの変更')}${principalOf(req).mustChangePassword ? html`<p class="notice">仮のパスワードでサインインしています。続けるには、新しいパスワードを設定してください。</p>` : ''}${errorSummary(state)}
<form method="post" action="/account/password" novalidate>${csrfField(req)}
${field({ name: 'currentPassword', label: '現在のパスワード', type: 'password', required: true, autocomplete: 'current-password' }, state)}
${field({ name: 'newPassword', label: '新しいパスワード', type: 'password', required: true, autocomplete: 'new-password', hint: '12文字以上。推測されやすい語やメールアドレス・氏名を含むものは使えません。' }, state)}
${field({ name: 'newPassword2', label: '新しいパスワード（確認）', type: 'password', required: true, autocomplete: 'new-password' }, state)}
<div class="form-actions"><button type="submit" class="primary">変更する</button></div></form>`,
    });

  router.get('/account/password', (req, res) => passwordPage(req, res, blankState()));
  router.post('/account/password', async (req, res) => {
    const user = principalOf(req);
    authorize(user, 'self');
    const body = req.body as Record<string, string | undefined>;
    if ((body.newPassword ?? '') !== (body.newPassword2 ?? '')) {
      return passwordPage(req, res, { values: {}, errors: { newPassword2: '新しいパスワードが一致しません' }, message: '入力内容を確認してください' }, 400);
    }
    try {
      await changeOwnPassword(contextOf(req), user.id, body.currentPassword ?? '', body.newPassword ?? '');
    } catch (err) {
      const f = formErrors(err, (p) => (p === 'password' ? 'newPassword' : p));
      if (!f) throw err;
      return passwordPage(req, res, { values: {}, ...f }, 400);
    }
    res.redirect(303, '/account?done=password');
  });

  const totpPage = async (req: Request, res: Response, extra: { enrol?: { qrCode: string; secret: string } | 'retry'; recoveryCodes?: string[]; state?: FormState; status?: number } = {}) => {
    const user = principalOf(req);
    const state = extra.state ?? blankState();
    const settings = await getSettings();
    const required = settings.totpRequired && user.roles.some((r) => PRIVILEGED_ROLES.includes(r));
    let body;
    if (extra.recoveryCodes) {
      body = html`<div class="notice" role="status">二要素認証を設定しました。</div>
<h2>回復用コード</h2><p>認証アプリを使えなくなったときに、確認コードの代わりに一度だけ使えます。<strong>この画面でしか表示しません。</strong>印刷するなどして安全な場所に保管してください。</p>
<ul class="codes" id="recovery-codes">${extra.recoveryCodes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><button type="button" class="copy" data-copy-target="recovery-codes">コピー</button> <a class="button primary" href="/">続ける</a></p>`;
    } else if (user.totpEnabled) {
      body = html`<p>二要素認証は<strong>設定済み</strong>です。</p>${required ? html`<p class="hint">この団体では、あなたの役割に二要素認証が必須のため、解除できません。</p>` : html`${errorSummary(state)}
<form method="post" action="/account/totp" novalidate>${csrfField(req)}<input type="hidden" name="action" value="remove">
${field({ name: 'password', label: 'パスワード（確認のため）', type: 'password', required: true, autocomplete: 'current-password' }, state)}
<div class="form-actions"><button type="submit" class="danger">二要素認証を解除する</button></div></form>`}`;
    } else if (extra.enrol) {
      const e = extra.enrol;
      body = html`${errorSummary(state)}<ol class="steps">${e === 'retry'
        ? html`<li>QRコードを読み取れなかった場合は、<form method="post" action="/account/totp" class="inline-form">${csrfField(req)}<input type="hidden" name="action" value="enrol"><button type="submit" class="link">最初からやり直してください</button></form>。</li>`
        : html`<li>認証アプリ（Google Authenticator、Microsoft Authenticator 等）で次のQRコードを読み取ってください。
<p><img src="${e.qrCode}" alt="二要素認証の設定用QRコード" width="200" height="200"></p>
<p>読み取れない場合は、次の鍵を手入力してください: <code class="secret">${e.secret}</code></p></li>`}
<li>アプリに表示された6桁のコードを入力してください。
<form method="post" action="/account/totp" novalidate>${csrfField(req)}<input type="hidden" name="action" value="confirm">
${field({ name: 'otp', label: '確認コード（6桁）', required: true, autocomplete: 'one-time-code', size: 'short' }, state)}
<div class="form-actions"><button type="submit" class="primary">確認して有効にする</button></div></form></li></ol>`;
    } else {
      body = html`${user.totpEnrolmentRequired ? html`<div class="errors" role="alert"><p>この団体では、あなたの役割に二要素認証が必須です。設定が終わるまで、ほかの画面は使えません。</p></div>` : ''}
<p>サインインのときに、パスワードに加えて認証アプリの確認コードを求めるようにします。</p>
<form method="post" action="/account/totp">${csrfField(req)}<input type="hidden" name="action" value="enrol"><button type="submit" class="primary">設定を始める</button></form>`;
    }
    await render(req, res, { title: '二要素認証（TOTP）', status: extra.status, crumbs: [['アカウント', '/account']], body: html`${heading('二要素認証（TOTP）')}${body}` });
  };

  router.get('/account/totp', (req, res) => totpPage(req, res));
  router.post('/account/totp', async (req, res) => {
    const me = principalOf(req);
    authorize(me, 'self');
    const body = req.body as Record<string, string | undefined>;
    const user = await userStore.get(me.id);
    if (!user) throw new AppError('not_found', '利用者が見つかりません', 404);
    const key = ctx.config.dataKey!;
    if (body.action === 'enrol') {
      const { secret, qrCode } = await enrolTotp(contextOf(req), key, user);
      return totpPage(req, res, { enrol: { secret, qrCode } });
    }
    if (body.action === 'confirm') {
      const otp = (body.otp ?? '').trim();
      try {
        if (!/^\d{6}$/.test(otp)) throw new AppError('validation_failed', '6桁の数字を入力してください', 400, [{ path: 'otp', message: '6桁の数字を入力してください' }]);
        const { recoveryCodes } = await confirmTotp(contextOf(req), key, user, otp);
        return totpPage(req, res, { recoveryCodes });
      } catch (err) {
        const f = formErrors(err, () => 'otp');
        if (!f) throw err;
        // The pending secret stays on the account: the code can be entered again without a new QR code.
        return totpPage(req, res, { enrol: 'retry', state: { values: {}, ...f }, status: 400 });
      }
    }
    if (body.action === 'remove') {
      if (!user.passwordHash || !(await verifyPassword(body.password ?? '', user.passwordHash))) {
        return totpPage(req, res, { state: { values: {}, errors: { password: 'パスワードが正しくありません' }, message: '解除できませんでした' }, status: 400 });
      }
      const settings = await getSettings();
      if (settings.totpRequired && user.roles.some((r) => PRIVILEGED_ROLES.includes(r))) throw new AppError('illegal_state', 'この団体ではあなたの役割に二要素認証が必須のため、解除できません', 409);
      await removeTotp(contextOf(req), user);
      return res.redirect(303, '/account?done=totp-removed');
    }
    throw new AppError('validation_failed', '操作が正しくありません', 400);
  });
}

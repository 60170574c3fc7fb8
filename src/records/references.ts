/** Checks on what a record refers to, each failing with 400 and the field's path. */
import type { z } from 'zod';
import { AppError, type FieldError } from '../http/errors.js';
import { assertDepartment, personStore } from '../org/index.js';
import type { ClassificationScheme } from '../risk/inherent-tier.js';
import { getSettings } from '../settings/index.js';
import { vendorStore } from '../vendors/vendor.model.js';
import type { Vendor } from '../vendors/vendor.types.js';
import { classify, SCHEME_LABELS } from './classification.js';
import type { InformationAssetInput } from './schemas.js';
import type { InformationAsset } from './subject.types.js';

const invalid = (errors: FieldError[], message = '入力内容に誤りがあります') => new AppError('validation_failed', message, 400, errors);

export { assertDepartment };

/** The vendor, which must exist and not be archived. */
export async function assertVendor(id: string, path: string): Promise<Vendor> {
  const vendor = await vendorStore.get(id);
  if (!vendor || vendor.archivedAt) throw invalid([{ path, message: '存在しない事業者です' }], '指定された事業者は存在しません');
  return vendor;
}

/**
 * A person newly named on a record must exist and be active; one the record already named may stay (so an inactive
 * responsible person does not block other edits — the record shows a warning instead).
 */
export async function assertAssignable(ids: readonly (string | null | undefined)[], already: readonly (string | null | undefined)[], path: string): Promise<void> {
  const errors: FieldError[] = [];
  for (const [i, id] of ids.entries()) {
    if (!id || already.includes(id)) continue;
    const person = await personStore.get(id);
    const where = ids.length > 1 || path.endsWith('Ids') ? `${path}.${i}` : path;
    if (!person || person.archivedAt) errors.push({ path: where, message: '存在しない人物です' });
    else if (!person.active) errors.push({ path: where, message: '無効（異動・退職等）の人物は新たに指定できません' });
  }
  if (errors.length) throw invalid(errors, '指定された人物を設定できません');
}

/** Stored information assets: each level checked against the installation's scheme and stored with its rank. */
export async function toAssets(input: z.output<typeof InformationAssetInput>[], scheme?: ClassificationScheme): Promise<InformationAsset[]> {
  const s = scheme ?? (await getSettings()).classificationScheme;
  const errors: FieldError[] = [];
  const assets = input.map((a, i) => {
    const c = classify(s, a.confidentiality);
    if (!c) errors.push({ path: `informationAssets.${i}.confidentiality`, message: `この団体の分類体系（${SCHEME_LABELS[s]}）にない区分です` });
    return { name: a.name, confidentiality: c ?? { level: a.confidentiality, rank: 1 as const }, integrity: a.integrity, availability: a.availability, personalData: a.personalData || a.myNumber, myNumber: a.myNumber };
  });
  if (errors.length) throw invalid(errors, '機密性の区分が、この団体の分類体系にありません');
  return assets;
}

/** α′ belongs to the LGWAN segment, β and β′ to the internet segment; a placement needs the segment it belongs to. */
export function assertPlacement(segment: string | null, placement: string | null): void {
  if (!placement) return;
  const fits = placement === 'alpha_prime' ? segment === 'lgwan' : segment === 'internet';
  if (!fits) {
    throw invalid([{ path: 'placement', message: placement === 'alpha_prime' ? 'α′モデルはLGWAN接続系を選んだ場合に指定します' : 'β・β′モデルはインターネット接続系を選んだ場合に指定します' }]);
  }
}

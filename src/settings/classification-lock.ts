/**
 * Whether any record is classified yet: once one is, the classification scheme may only change through
 * `npm run cli -- classification:migrate` (which maps every stored level). The record kinds register how to ask, so
 * settings does not depend on them.
 */
type Probe = () => Promise<boolean>;
const probes: Probe[] = [];

export function registerClassificationProbe(probe: Probe): void {
  probes.push(probe);
}

export async function classificationInUse(): Promise<boolean> {
  for (const probe of probes) if (await probe()) return true;
  return false;
}

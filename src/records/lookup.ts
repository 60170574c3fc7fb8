import type { Request } from 'express';
import { departmentStore, personStore, type Department, type Person } from '../org/index.js';
import { getSettings, type Settings } from '../settings/index.js';
import { todayInTokyo } from '../shared/dates.js';
import { vendorStore } from '../vendors/vendor.model.js';
import type { Vendor } from '../vendors/vendor.types.js';

/**
 * What presenting records needs besides the record: today, the settings, and the people, vendors and departments it
 * names. Memoised for one request, so a page of fifty records reads each person once.
 */
export interface Lookup {
  today: string;
  settings(): Promise<Settings>;
  person(id: string): Promise<Person | null>;
  vendor(id: string): Promise<Vendor | null>;
  department(id: string): Promise<Department | null>;
}

function memo<T>(load: (id: string) => Promise<T | null>): (id: string) => Promise<T | null> {
  const cache = new Map<string, Promise<T | null>>();
  return (id) => {
    let hit = cache.get(id);
    if (!hit) cache.set(id, (hit = load(id)));
    return hit;
  };
}

/** A fresh lookup (CLI, dashboard, tests). */
export function newLookup(today = todayInTokyo()): Lookup {
  let settings: Promise<Settings> | undefined;
  return {
    today,
    settings: () => (settings ??= getSettings()),
    person: memo((id) => personStore.get(id)),
    vendor: memo((id) => vendorStore.get(id)),
    department: memo((id) => departmentStore.get(id)),
  };
}

const perRequest = new WeakMap<Request, Lookup>();

/** The lookup of this request. */
export function lookupFor(req: Request): Lookup {
  let l = perRequest.get(req);
  if (!l) perRequest.set(req, (l = newLookup()));
  return l;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { useTestDatabase } from '../helpers/db.js';

useTestDatabase();

// The whole write pattern (revisions, markers, answers and reviews read by `_id`) rests on `_id` lookups being index
// lookups. The stock FerretDB 1.24.2 scans the table for them; the embedded build carries a one-line patch
// (src/db/ferretdb-build.ts, PATCHES). This reads the plan, not a clock.
test('a lookup, an update and a delete by _id use the _id index', async () => {
  const db = mongoose.connection.db!;
  const c = db.collection<{ _id: string; v: number }>('id_index_probe');
  await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, v: i })));
  const plan = async (command: Record<string, unknown>) => JSON.stringify(await db.command({ explain: command }));
  const isFerret = 'ferretdbVersion' in (await db.admin().command({ buildInfo: 1 }));
  for (const command of [
    { find: 'id_index_probe', filter: { _id: 'k42' } },
    { find: 'id_index_probe', filter: { _id: 'absent' } },
  ]) {
    const p = await plan(command);
    if (isFerret) assert.match(p, /USING INDEX \S+__id_ /, `FerretDB plan: ${p}`);
    else assert.doesNotMatch(p, /COLLSCAN/, `MongoDB plan: ${p}`);
  }
  // Same answers as before the patch: the value found, the update and delete applied to that one document.
  assert.equal((await c.findOne({ _id: 'k42' }))?.v, 42);
  assert.equal((await c.replaceOne({ _id: 'k7' }, { v: -7 })).modifiedCount, 1);
  assert.equal((await c.findOne({ _id: 'k7' }))?.v, -7);
  assert.equal((await c.deleteOne({ _id: 'k8' })).deletedCount, 1);
  assert.equal(await c.countDocuments(), 49);
  assert.equal(await c.findOne({ _id: 'absent' }), null);
});

import mongoose from 'mongoose';

/**
 * Creates the collections and indexes the models declare. Only what FerretDB 1.24 serves is declared (no TTL, no
 * partial or text indexes); mongoose's autoIndex is off so this happens once, here, at start-up.
 */
export async function prepareDatabase(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    await model.createCollection().catch((err: { code?: number }) => {
      if (err.code !== 48) throw err; // already exists
    });
    await model.createIndexes();
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

test('defaults apply in development', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.mongodbUri, undefined);
  assert.match(c.dataDir, /\/data$/);
  assert.equal(c.isProduction, false);
  assert.ok(Object.isFrozen(c));
});

test('every bad variable is named in one error', () => {
  try {
    loadConfig({ PORT: 'abc', MONGODB_URI: 'http://x', ITAKU_DATA_KEY: 'short', LOG_LEVEL: 'loud', NODE_ENV: 'staging' });
    assert.fail('should throw');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const named = err.problems.map((p) => p.split(':')[0]).sort();
    assert.deepEqual(named, ['ITAKU_DATA_KEY', 'LOG_LEVEL', 'MONGODB_URI', 'NODE_ENV', 'PORT']);
  }
});

test('production requires the secrets and the public URL', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems.map((p) => p.split(':')[0]).sort(), ['ITAKU_DATA_KEY', 'PUBLIC_BASE_URL', 'SESSION_SECRET']);
    return true;
  });
});

test('replica-set and SRV connection strings are accepted as they are', () => {
  for (const uri of ['mongodb://h1:27017,h2:27017/itaku?replicaSet=rs0&tls=true', 'mongodb+srv://cluster.example.jp/itaku']) {
    assert.equal(loadConfig({ MONGODB_URI: uri }).mongodbUri, uri);
  }
});

test('TRUST_PROXY takes a boolean, a hop count or addresses', () => {
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.equal(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, 'loopback, 10.0.0.0/8');
  assert.equal(loadConfig({}).trustProxy, false);
});

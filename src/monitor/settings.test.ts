import assert from 'node:assert/strict';
import { it } from 'node:test';
import { locationFrom } from './settings.js';

it('takes the location from --location before VOR_LOCATION, and none when neither is set', () => {
  assert.equal(locationFrom('fra', { VOR_LOCATION: 'osl' }), 'fra');
  assert.equal(locationFrom(undefined, { VOR_LOCATION: 'osl' }), 'osl');
  assert.equal(locationFrom(undefined, {}), undefined);
});

it('rejects a location that would make a bad or high-cardinality label, naming where it came from', () => {
  assert.throws(() => locationFrom('eu west', {}), /--location: "eu west" is not a location name/);
  assert.throws(() => locationFrom(undefined, { VOR_LOCATION: 'https://x/1' }), /VOR_LOCATION: "https:\/\/x\/1"/);
  assert.throws(() => locationFrom('a'.repeat(64), {}), /--location/);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSampleLdif } from '../../test-data/make-sample';

describe('the shipped sample ldifde export', () => {
  it('is exactly what test-data/make-sample.ts generates (regenerate it as that file says)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'test-data', 'sample-ldifde-export.ldf'), 'utf8');
    expect(committed === makeSampleLdif()).toBe(true);
  });
});

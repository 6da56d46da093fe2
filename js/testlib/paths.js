// The one place JS harnesses (js/test, tests/hardening, www/test) resolve the
// test data: tests/data, vendored into the repository by scripts/sync-shared.sh.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEST_DATA = join(REPO, 'tests', 'data');
export const FIXTURES = join(TEST_DATA, 'fixtures', 'plan');
// This repository's own scenarios in the same format (scripts/gen-plan-local.py).
export const LOCAL_FIXTURES = join(TEST_DATA, 'fixtures', 'plan-local');

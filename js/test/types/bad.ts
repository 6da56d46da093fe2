// Must NOT type-check (test/types.test.js asserts tsc fails on it): wrong
// option type, unknown plan field, wrong verdict type.
import { plan } from 'canary-tracker';

const r = plan({ objects: [], options: { enableConfigTracking: 'yes' } });
const x: string = r.plans[0].configsChanged;
const y = r.plans[0].notAField;

export { x, y };

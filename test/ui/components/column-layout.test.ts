import { describe, expect, it } from 'vitest';
import { hiddenMark, layoutColumns, type ColumnSpec } from '../../../src/ui/components/column-layout.js';

const POD = 'checkout-service-v2-7d9f8c6b5d-x2k9q-with-a-long-generated-suffix';
const columns: ColumnSpec[] = [
  { title: 'NAMESPACE', min: 9, max: 20 },
  { title: 'NAME', min: 12 },
  { title: 'READY', width: 5 },
  { title: 'SIDECAR', width: 7, drop: 1 },
  { title: 'SERVICE ACCOUNT', max: 30, drop: 2 },
  { title: 'MTLS', min: 4, max: 10 },
];
const cells = [['shop-production'], [POD], ['1/1'], ['yes'], ['checkout-service-account'], ['PERMISSIVE']];

describe('column layout', () => {
  it('at 160 columns whole pod names fit and nothing is hidden', () => {
    const layout = layoutColumns(columns, cells, 160);
    expect(layout.widths[1]).toBe(POD.length);
    expect(layout.hidden).toEqual([]);
  });

  it('at 80 columns drops the highest drop rank first and says which', () => {
    const layout = layoutColumns(columns, cells, 80);
    expect(layout.hidden).toEqual(['SERVICE ACCOUNT']);
    expect(layout.widths[4]).toBe(0);
    const used = layout.widths.filter((w) => w > 0);
    expect(used.reduce((a, b) => a + b, 0) + used.length - 1).toBeLessThanOrEqual(80);
    expect(hiddenMark(layout.hidden)).toBe(' ‹1 hidden: service account›');
  });

  it('when narrower still, drops the next column and cuts content columns to their minimum', () => {
    const layout = layoutColumns(columns, cells, 50);
    expect([...layout.hidden].sort()).toEqual(['SERVICE ACCOUNT', 'SIDECAR']);
    const used = layout.widths.filter((w) => w > 0);
    expect(used.reduce((a, b) => a + b, 0) + used.length - 1).toBeLessThanOrEqual(50);
    expect(layout.widths[1]).toBeGreaterThanOrEqual(12);
  });

  it('sizes content columns to their widest cell or title, fixed ones to their width', () => {
    const layout = layoutColumns(columns, [['a'], ['b'], [''], [''], [''], ['']], 200);
    expect(layout.widths).toEqual([9, 4, 5, 7, 15, 4]);
  });
});

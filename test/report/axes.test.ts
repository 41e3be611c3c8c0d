import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { axisText, extentOf, numericAxis, tickLabel, wantsLog } from '../../src/report/axes.ts';

test('tick labels: 1-2-5 decades on log axes (powers of ten as superscripts), 4 significant digits otherwise', () => {
  assert.equal(
    [1, 2, 5, 3, 10, 1000, 1e4, 2e12, 0.01, 1e-5].map((v) => tickLabel(v, true)),
    ['1', '2', '5', '', '10', '1000', '10⁴', '2×10¹²', '0.01', '10⁻⁵'],
  );
  assert.equal(
    [0, 0.123456, 1234.5, 2e6, 1e-4].map((v) => tickLabel(v, false)),
    ['0', '0.1235', '1235', '2.0e+6', '1.0e-4'],
  );
});

test('axes: units in the title, large values in units of 10^3k, non-negative quantities stop at 0', () => {
  const flops = numericAxis('FLOPs per video (FLOP)', { extent: [8.4e11, 1.2e12] }) as unknown as {
    title: { text: string };
    ticks: { callback: (v: number) => string };
  };
  assert.is(flops.title.text, 'FLOPs per video (FLOP) ×10¹²');
  assert.is(flops.ticks.callback(1.5e12), '1.5');
  const fd = numericAxis('FD ((pixel value)^2)', { extent: [-0.01, 0.05], nonNegative: true }) as unknown as {
    min: number;
    title: { text: string };
  };
  assert.equal([fd.min, fd.title.text], [0, 'FD ((pixel value)²)']);
  assert.equal(extentOf([{ value: 1, low: 0.5, high: 2 }, null, { value: 3, low: null, high: null }]), [1, 0.5, 2, 3]);
  assert.equal([wantsLog([1, 100]), wantsLog([1, 10]), wantsLog([0, 100])], [true, false, false]);
  assert.is(axisText('x^2'), 'x²');
});

test.run();

import { describe, expect, it } from 'vitest';
import { formatKernelProfile, kernelSummaries, KernelTallies, phaseSummaries } from './kernelTimer';

function sampleTallies(): KernelTallies {
  const tallies = new KernelTallies();
  tallies.phase = 'forward';
  tallies.add('BatchMatMul', 3, 400);
  tallies.add('Add', 1, 100);
  tallies.phase = 'backward';
  tallies.add('BatchMatMul', 5, 800);
  tallies.phase = 'optimizer';
  tallies.add('AisleAdamDense', 1, 40);
  return tallies;
}

describe('kernel tallies', () => {
  it('adds calls by phase and by kernel name', () => {
    const all = sampleTallies().all();
    expect(phaseSummaries(all)).toEqual([
      { phase: 'gather rows', launches: 0, ms: 0, bytes: 0 },
      { phase: 'forward', launches: 2, ms: 4, bytes: 500 },
      { phase: 'backward', launches: 1, ms: 5, bytes: 800 },
      { phase: 'optimizer', launches: 1, ms: 1, bytes: 40 },
    ]);
    expect(kernelSummaries(all)).toEqual([
      { kernel: 'BatchMatMul', launches: 2, ms: 8, bytes: 1200 },
      { kernel: 'Add', launches: 1, ms: 1, bytes: 100 },
      { kernel: 'AisleAdamDense', launches: 1, ms: 1, bytes: 40 },
    ]);
  });

  it('prints per-step figures and shares of the wall time, with the time outside kernels', () => {
    // 2 steps, 20 ms of wall: kernels 10 ms (5 ms/step), so 5 ms/step outside them (50 %)
    const text = formatKernelProfile(sampleTallies().all(), 20, 2, 2);
    expect(text).toMatch(/forward\s+2\.00\s+20\.0 %\s+1\.00\s+250 B/);
    expect(text).toMatch(/outside kernels \(tape, tidy, JS\)\s+5\.00\s+50\.0 %/);
    expect(text).toMatch(/BatchMatMul\s+4\.00\s+40\.0 %\s+1\.00\s+600 B/);
    expect(text).toMatch(/1 others\s+0\.50\s+5\.0 %/);
  });
});

import { describe, expect, it } from 'vitest';
import { interruptionNote } from './interruption';

describe("a model card's account of an interrupted training", () => {
  it('names the backend it went on with, the epoch the loss came in and the checkpoint it resumed', () => {
    expect(interruptionNote('the GPU was lost', 'wasm', 1)).toBe(
      'Continued on wasm after the GPU was lost during epoch 2, from the checkpoint of epoch 1',
    );
  });

  it('says it started over when no checkpoint had been saved yet', () => {
    expect(interruptionNote('the GPU was lost', 'cpu', undefined)).toBe(
      'Trained again from the start on cpu after the GPU was lost before its first checkpoint',
    );
  });
});

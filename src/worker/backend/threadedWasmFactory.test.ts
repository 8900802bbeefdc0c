import { describe, expect, it } from 'vitest';
import threadedFactory, { helperThreadFactorySource } from './threadedWasmFactory';

describe('the threaded wasm factory handed to helper threads', () => {
  it('loads tfjs’s untouched script by absolute URL and yields the factory it defines', () => {
    expect(helperThreadFactorySource('https://shop.example/aisle/assets/threaded-Ab1.js')).toBe(
      '(function () { importScripts("https://shop.example/aisle/assets/threaded-Ab1.js"); return WasmBackendModuleThreadedSimd; })()',
    );
  });

  it('is tfjs’s factory when called', () => {
    expect(typeof threadedFactory).toBe('function');
  });
});

import { describe, expect, it } from 'vitest';
import threadedFactory, { helperThreadFactorySource } from './threadedWasmFactory';

describe('the threaded wasm factory handed to helper threads', () => {
  it('wraps a script so that evaluating it yields the factory the script defines', () => {
    const source = helperThreadFactorySource(
      'var WasmBackendModuleThreadedSimd = function () { return 42; };',
    );
    expect(source).toBe(
      '(function () {\nvar WasmBackendModuleThreadedSimd = function () { return 42; };\nreturn WasmBackendModuleThreadedSimd;\n})()',
    );
    // what the helper thread does with it: "var WasmBackendModuleThreadedSimd = " + source
    const factory = new Function(
      `var WasmBackendModuleThreadedSimd = ${source}; return WasmBackendModuleThreadedSimd;`,
    )();
    expect(factory()).toBe(42);
  });

  it('is text that defines tfjs’s factory by itself, with nothing from the bundle', () => {
    const text = threadedFactory.toString();
    expect(text.startsWith('(function () {\n')).toBe(true);
    expect(text).toContain('var WasmBackendModuleThreadedSimd = (() => {');
    expect(text.endsWith('return WasmBackendModuleThreadedSimd;\n})()')).toBe(true);
  });
});

// The switch for the training kernels of issue 13 (buffer-sharing Identity/Cast, leading-axis Sum,
// one-pass Adam, fused layer norm, sampled BCE, causal attention, dropout, the tiled transpose before
// a transposed matMul). They are on by default; switched off, training runs the graph
// and kernels it ran before them, so a test or the step profile can compare the two on one
// backend. The maths is the same either way (equal within float rounding).
let fusedOn = true;

export function setFusedKernels(on: boolean): void {
  fusedOn = on;
}

export function fusedKernelsOn(): boolean {
  return fusedOn;
}

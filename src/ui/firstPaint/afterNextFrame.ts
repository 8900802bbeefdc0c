// Runs a task after the browser's next frame has been drawn, or after `atMostMs` if no frame
// comes (a hidden tab draws none; a busy compositor may draw one late), whichever is first, once.
// main.ts mounts the app this way when the early script painted the kept row: the bundle is often
// ready the moment the parser finishes, and mounting the app (a long task) would otherwise run
// before the frame that draws the early copy, which would then reach the screen no sooner.
export function afterNextFrame(
  run: () => void,
  atMostMs: number,
  nextFrame: (callback: () => void) => unknown = (callback) => requestAnimationFrame(callback),
): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  // a frame callback runs before that frame is drawn: the task after it runs after
  nextFrame(() => setTimeout(once, 0));
  setTimeout(once, atMostMs);
}

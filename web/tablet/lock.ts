/**
 * Issue 8: a tablet left on a table locks itself. Any touch, key or typing restarts the count; the timer
 * runs only while the tablet is unlocked.
 */
export function startInactivityLock(afterMs: number, onLock: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  const restart = () => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(onLock, afterMs);
  };
  for (const type of ['pointerdown', 'keydown', 'input', 'wheel'] as const) {
    window.addEventListener(type, restart, { passive: true, capture: true });
  }
  return {
    start() {
      running = true;
      restart();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
  };
}

/**
 * The widget's own frame. Scoped under `.cse-widget` so it neither leaks into the host page nor depends
 * on it; sizes in rem so the host's text size setting is respected; 44 px targets; visible focus.
 */
export const widgetCss = `
.cse-widget { box-sizing: border-box; display: flex; flex-direction: column; max-width: 44rem;
  min-height: 14rem; border: 1px solid #8a8a8a; border-radius: 8px; background: #fff;
  color: #1d1d1d; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow: hidden; }
.cse-widget--chat { height: min(85vh, 44rem); min-height: 28rem; }
.cse-widget *, .cse-widget *::before, .cse-widget *::after { box-sizing: inherit; }
.cse-widget__bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; padding: 0.5rem 0.75rem;
  border-bottom: 1px solid #d0d0d0; background: #f4f4f4; }
.cse-widget__title { margin: 0 auto 0 0; font-size: 1.125rem; }
.cse-widget button { font: inherit; min-height: 44px; padding: 0.4rem 0.9rem; border-radius: 6px; cursor: pointer; }
.cse-widget__secondary { background: #fff; color: #1d1d1d; border: 1px solid #6b6b6b; }
.cse-widget__exit { background: #a4001d; color: #fff; border: 2px solid #a4001d; font-weight: 600; }
.cse-widget__exit:hover { background: #7d0016; }
.cse-widget button:focus-visible, .cse-widget a:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.cse-widget__info { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; padding: 0.25rem 0.75rem;
  font-size: 0.875rem; color: #3d3d3d; border-bottom: 1px solid #d0d0d0; }
.cse-widget__hint { flex: 1 1 16rem; margin: 0; }
.cse-widget .cse-widget__info button { min-height: 36px; padding: 0.2rem 0.7rem; }
.cse-widget__info button[hidden] { display: none; }
.cse-widget__progress { display: flex; align-items: center; gap: 0.75rem; padding: 0.4rem 0.75rem;
  font-size: 0.875rem; border-bottom: 1px solid #d0d0d0; }
.cse-widget__progress[hidden] { display: none; }
.cse-widget__progress progress { flex: 1; height: 0.75rem; accent-color: #1a5fb4; }
.cse-widget__body { flex: 1; min-height: 0; position: relative; }
.cse-widget__chat { height: 100%; }
.cse-widget__panel { padding: 1rem 1.25rem; }
.cse-widget__panel p { margin: 0 0 1rem; }
.cse-widget__notice { border-left: 4px solid #c64600; padding: 0.25rem 0 0.25rem 0.75rem; }
.cse-widget__signin { display: inline-block; padding: 0.6rem 1.2rem; border-radius: 6px; background: #1a5fb4;
  color: #fff; font-weight: 600; text-decoration: none; }
.cse-widget__signin:hover { background: #144a8c; }
/* Web Chat's blue for the "Send" button gives white text 4.50:1, a hair under WCAG AA; the widget's is 6.4:1. */
.cse-widget .cse-widget__chat .ac-adaptiveCard .ac-pushButton.style-positive { background-color: #1a5fb4;
  border-color: #1a5fb4; }
.cse-widget .cse-widget__chat .ac-adaptiveCard .ac-pushButton.style-positive:hover { background-color: #144a8c; }
`;

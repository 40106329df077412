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
.cse-widget__chat { flex: 1; min-height: 0; }
.cse-widget__tabs { display: flex; gap: 0.25rem; padding: 0.25rem 0.75rem 0; border-bottom: 1px solid #6b6b6b;
  background: #fff; }
.cse-widget__tabs[hidden] { display: none; }
.cse-widget .cse-widget__tab { background: #f4f4f4; color: #1d1d1d; border: 1px solid #6b6b6b; border-bottom: none;
  border-radius: 6px 6px 0 0; margin-bottom: -1px; }
.cse-widget .cse-widget__tab[aria-selected="true"] { background: #fff; font-weight: 600;
  box-shadow: inset 0 3px 0 #1a5fb4; border-bottom: 1px solid #fff; }
.cse-widget [role="tabpanel"] { height: 100%; }
.cse-widget [role="tabpanel"][hidden] { display: none; }
.cse-widget__panel-screening { display: flex; flex-direction: column; }
.cse-widget__panel-tasks { overflow: auto; padding: 0.75rem 1rem 1.5rem; }
.cse-widget__panel-tasks:focus-visible, .cse-widget__tasks-heading:focus-visible { outline: 3px solid #1a5fb4;
  outline-offset: -3px; }
.cse-widget__tasks-heading { margin: 0 0 0.25rem; font-size: 1.125rem; }
.cse-widget__tasks-view .cse-widget__hint { margin: 0 0 0.5rem; color: #3d3d3d; }
.cse-widget__tasks-meta { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem;
  font-size: 0.875rem; color: #3d3d3d; }
.cse-widget__status:empty, .cse-widget__error:empty { display: none; }
.cse-widget__status { border-left: 4px solid #1a5fb4; padding: 0.25rem 0 0.25rem 0.75rem; }
.cse-widget__error { color: #8f0019; font-weight: 600; }
.cse-widget__tasks { list-style: none; margin: 0.75rem 0 0; padding: 0; display: grid; gap: 0.75rem; }
.cse-widget__task { border: 1px solid #8a8a8a; border-left-width: 6px; border-radius: 6px; padding: 0.5rem 0.9rem 0.75rem; }
.cse-widget__task--overdue { border-left-color: #a4001d; }
.cse-widget__task--soon { border-left-color: #b35c00; }
.cse-widget__task--later { border-left-color: #2f6b3c; }
.cse-widget__task h4 { margin: 0.25rem 0; font-size: 1.05rem; }
.cse-widget__task p { margin: 0.25rem 0; }
.cse-widget__due { display: inline-block; padding: 0 0.4rem; border-radius: 4px; font-weight: 700; }
.cse-widget__due--overdue { background: #fde8ea; color: #8f0019; }
.cse-widget__due--soon { background: #fff1dc; color: #6b3a00; }
.cse-widget__due--later { background: #e7f3ea; color: #1f4a29; }
.cse-widget__facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.75rem; margin: 0.5rem 0;
  font-size: 0.9375rem; }
.cse-widget__facts dt { font-weight: 600; }
.cse-widget__facts dd { margin: 0; }
.cse-widget__needs-title { font-weight: 600; }
.cse-widget__needs { margin: 0.1rem 0 0.5rem; padding-left: 1.25rem; }
.cse-widget__received { font-size: 0.875rem; color: #3d3d3d; }
.cse-widget__actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
.cse-widget__primary { background: #1a5fb4; color: #fff; border: 2px solid #1a5fb4; font-weight: 600; }
.cse-widget__primary:hover { background: #144a8c; }
.cse-widget__primary:disabled { background: #6b6b6b; border-color: #6b6b6b; }
.cse-widget__form { margin-top: 0.75rem; padding: 0.75rem; border: 1px solid #b0b0b0; border-radius: 6px; background: #f8f8f8; }
.cse-widget__form h5 { margin: 0 0 0.5rem; font-size: 1rem; }
.cse-widget__field { display: flex; flex-direction: column; gap: 0.2rem; margin-bottom: 0.6rem; }
.cse-widget__field label { font-weight: 600; }
.cse-widget__field input, .cse-widget__field textarea { font: inherit; min-height: 44px; padding: 0.4rem 0.5rem;
  border: 1px solid #6b6b6b; border-radius: 4px; max-width: 100%; }
.cse-widget__field input:focus-visible, .cse-widget__field textarea:focus-visible { outline: 3px solid #1a5fb4;
  outline-offset: 1px; }
.cse-widget__panel { padding: 1rem 1.25rem; }
.cse-widget__panel p { margin: 0 0 1rem; }
.cse-widget__notice { border-left: 4px solid #c64600; padding: 0.25rem 0 0.25rem 0.75rem; }
.cse-widget__signin { display: inline-block; padding: 0.6rem 1.2rem; border-radius: 6px; background: #1a5fb4;
  color: #fff; font-weight: 600; text-decoration: none; }
.cse-widget__signin:hover { background: #144a8c; }
/* Issue 20: a field's own message, beside it, in words and colour (and a thick edge on the field). */
.cse-widget .cse-widget__field-error { margin: 0.25rem 0 0.5rem; color: #8f0019; font-weight: 600; }
.cse-widget .cse-widget__field-error::before { content: "⚠ "; }
.cse-widget .cse-widget__chat .ac-adaptiveCard input[aria-invalid="true"] { border: 2px solid #8f0019; }
/* Web Chat's blue for the "Send" button gives white text 4.50:1, a hair under WCAG AA; the widget's is 6.4:1. */
.cse-widget .cse-widget__chat .ac-adaptiveCard .ac-pushButton.style-positive { background-color: #1a5fb4;
  border-color: #1a5fb4; }
.cse-widget .cse-widget__chat .ac-adaptiveCard .ac-pushButton.style-positive:hover { background-color: #144a8c; }
`;

/**
 * The frame page around the widget: nothing but the widget. In the chat the widget fills the frame, whose
 * height the host's loader sets (from the height the frame asks for, within the host's viewport).
 */
export const frameCss = `
html, body { margin: 0; padding: 0; background: transparent; }
.cse-widget { max-width: none; }
.cse-widget--chat { height: 100vh; min-height: 0; }
`;

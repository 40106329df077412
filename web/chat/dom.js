// Small DOM helpers: elements are built with textContent only, so nothing from the API is ever parsed as HTML.

export const $ = (selector, root = document) => root.querySelector(selector);

/** el('p', { className: 'help', id: 'x' }, 'text', child…): properties set directly, `attrs` as attributes. */
export function el(tag, props = {}, ...children) {
  const { attrs, dataset, ...rest } = props;
  const element = Object.assign(document.createElement(tag), rest);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, String(value));
  }
  Object.assign(element.dataset, dataset ?? {});
  element.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export function button(label, onClick, secondary = false) {
  const element = el('button', { type: 'button' }, label);
  if (secondary) element.className = 'secondary';
  element.addEventListener('click', onClick);
  return element;
}

let lastId = 0;
/** A unique id for label/aria wiring of generated fields. */
export function uniqueId(prefix) {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** A labelled field: <label> above its input; the label is always visible, never only a placeholder. */
export function field(label, input) {
  input.id ||= uniqueId('field');
  return el('div', { className: 'field' }, el('label', { htmlFor: input.id }, label), input);
}

/** Text for screen readers only. */
export const hiddenText = (text) => el('span', { className: 'visually-hidden' }, text);

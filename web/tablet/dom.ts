/** Builds an element with text and attributes; text is always set as text, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

export function button(
  label: string,
  onClick: () => void,
  attributes: Record<string, string | boolean | undefined> = {},
): HTMLButtonElement {
  const element = el('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', onClick);
  return element;
}

/** A labelled field: the label's `for` names the control, so screen readers and tests find it by its label. */
export function field(
  id: string,
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
): DocumentFragment {
  control.id = id;
  const fragment = document.createDocumentFragment();
  fragment.append(el('label', { for: id }, label), control);
  return fragment;
}

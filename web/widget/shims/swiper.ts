/**
 * Adaptive Cards' carousel (a Teams extension, not Adaptive Cards 1.5) is the only user of Swiper. The
 * screening never sends a carousel, so the widget leaves Swiper's 100 KB out; a carousel would fail to
 * render instead of rendering half.
 */
export default class Swiper {
  constructor() {
    throw new Error('Carousels are not supported by this widget.');
  }
}

const unused = {};
export const A11y = unused;
export const Autoplay = unused;
export const History = unused;
export const Keyboard = unused;
export const Navigation = unused;
export const Pagination = unused;
export const Scrollbar = unused;

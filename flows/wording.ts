import type { LocalizedText } from './i18n.ts';

/** Navigation words every prompt offers, shared by all flows so channels render them the same way. */
export const navigationWords = {
  unknown: { en: 'Unknown', es: 'No se sabe' },
  /** A youth declining to answer. */
  skip: { en: 'Prefer not to say / skip', es: 'Prefiero no decir / omitir' },
  /** A professional leaving a checklist item blank (issue 20: "prefer not to say" is youth wording). */
  skipProfessional: { en: 'Skip', es: 'Omitir' },
  back: { en: 'Back', es: 'Atrás' },
  pause: { en: 'Pause', es: 'Pausar' },
  resume: { en: 'Resume', es: 'Continuar' },
  paused: {
    en: 'This conversation is paused. Nothing is lost; resume whenever you are ready.',
    es: 'Esta conversación está en pausa. No se pierde nada; continúe cuando esté listo.',
  },
} satisfies Record<string, LocalizedText>;

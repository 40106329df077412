import type { LocalizedText } from '#flows/i18n.ts';

export const domainWords = {
  overdueOnCreation: {
    en: 'This task was already overdue when it was opened: the information was received more than {hours} hours ago. Act on it now.',
    es: 'Esta tarea ya estaba vencida al abrirse: la información se recibió hace más de {hours} horas. Atiéndala ahora.',
  },
} satisfies Record<string, LocalizedText>;

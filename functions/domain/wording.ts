import type { LocalizedText } from '#flows/i18n.ts';

export const domainWords = {
  overdueOnCreation: {
    en: 'This task was already overdue when it was opened: the information was received more than {hours} hours ago. Act on it now.',
    es: 'Esta tarea ya estaba vencida al abrirse: la información se recibió hace más de {hours} horas. Atiéndala ahora.',
  },
  dueImmediately: {
    en: 'Due immediately: {title}. Do it now, then record it here.',
    es: 'Vence de inmediato: {title}. Hágalo ahora y luego regístrelo aquí.',
  },
  standIn: {
    en: 'Your organisation has not named who receives “{role}” tasks, so this one is yours for now. Ask an administrator to set the route.',
    es: 'Su organización no ha indicado quién recibe las tareas de “{role}”, así que por ahora esta es suya. Pida a un administrador que configure la ruta.',
  },
  handoffSent: {
    en: 'The concern was handed to {county} at {at}. The county’s own duties start now; you will see when they acknowledge it. Your own reports below are still yours to make.',
    es: 'La inquietud se entregó a {county} a las {at}. Los deberes del condado empiezan ahora; verá cuando la acusen de recibo. Sus propios informes, abajo, siguen siendo suyos.',
  },
  handoffNotConfigured: {
    en: 'No county is set up to receive this organisation’s concerns, so nothing was handed off. Make the telephone report to county child welfare or law enforcement now, and ask an administrator to set the county.',
    es: 'No hay un condado configurado para recibir las inquietudes de esta organización, así que no se entregó nada. Haga ahora el informe telefónico a bienestar infantil del condado o a la policía, y pida a un administrador que configure el condado.',
  },
  trainingMissing: {
    en: 'Your record shows no “{training}” ({citation}). You can go on with this screening; please complete the training and have it recorded.',
    es: 'Su registro no muestra “{training}” ({citation}). Puede continuar con esta evaluación; complete la capacitación y pida que se registre.',
  },
  trainingLapsed: {
    en: 'Your “{training}” ({citation}) lapsed on {lapsedOn}. You can go on with this screening; please renew it.',
    es: 'Su “{training}” ({citation}) venció el {lapsedOn}. Puede continuar con esta evaluación; renuévela.',
  },
  noMissingReportLinked: {
    en: 'This interview was not linked to the youth’s missing-from-care report, so no locate task was closed. Whoever holds that locate task must close it.',
    es: 'Esta entrevista no se vinculó al reporte de desaparición del joven, así que no se cerró ninguna tarea de localización. Quien tenga esa tarea debe cerrarla.',
  },
  locateClosureRequested: {
    en: 'The locate task of the linked missing-from-care report belongs to someone else. They have been told the youth returned, and will close it.',
    es: 'La tarea de localización del reporte de desaparición vinculado es de otra persona. Se le avisó que el joven regresó y ella la cerrará.',
  },
  noOpenLocateTask: {
    en: 'The linked missing-from-care report has no open locate task, so nothing was closed.',
    es: 'El reporte de desaparición vinculado no tiene una tarea de localización abierta, así que no se cerró nada.',
  },
} satisfies Record<string, LocalizedText>;

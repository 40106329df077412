import type { LocalizedText } from '../i18n.ts';

// R-PURPOSE: plain, non-judgmental words; every question also offers "Unknown" and "Prefer not to say".

export const sections = {
  situation: { en: 'The situation', es: 'La situación' },
  reporting: { en: 'Reporting', es: 'Informes' },
  details: { en: 'Details for the reports', es: 'Datos para los informes' },
} satisfies Record<string, LocalizedText>;

export const yesNoChoices = {
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
} satisfies Record<string, LocalizedText>;

export const situationChoices = {
  missing: {
    en: 'Missing: where they are is not known (including having left a placement)',
    es: 'Desaparecido: no se sabe dónde está (incluso si se fue de su colocación)',
  },
  abducted: {
    en: 'Abducted: there is information that someone took or is keeping the youth',
    es: 'Secuestrado: hay información de que alguien se llevó al joven o lo retiene',
  },
} satisfies Record<string, LocalizedText>;

export const believedCseChoices = {
  victim: { en: 'Believed to be a victim', es: 'Se cree que es víctima' },
  at_risk: { en: 'At risk of becoming a victim', es: 'En riesgo de llegar a ser víctima' },
  no: { en: 'Neither, from what I know', es: 'Ninguno, según lo que sé' },
} satisfies Record<string, LocalizedText>;

/** The endangerment categories NCIC and NCMEC ask about; `none_known` lets a worker say so without "unknown". */
export const endangermentChoices = {
  suspected_exploitation: {
    en: 'Suspected commercial sexual exploitation',
    es: 'Sospecha de explotación sexual comercial',
  },
  medical_or_mental_health: {
    en: 'A medical or mental-health need (for example, medication they need)',
    es: 'Una necesidad médica o de salud mental (por ejemplo, un medicamento que necesita)',
  },
  with_unrelated_adult: {
    en: 'Believed to be with an adult who is not a relative',
    es: 'Se cree que está con un adulto que no es familiar',
  },
  substance_use: { en: 'Substance use', es: 'Consumo de sustancias' },
  out_of_area: { en: 'Believed to have left the area', es: 'Se cree que se fue de la zona' },
  other: { en: 'Something else', es: 'Otra cosa' },
  none_known: { en: 'None that I know of', es: 'Ninguna que yo sepa' },
} satisfies Record<string, LocalizedText>;

/** How the received-time question names the situation, so it asks about what the worker actually learned. */
export const situationPhrases = {
  missing: { en: 'is missing', es: 'está desaparecido' },
  abducted: { en: 'had been abducted', es: 'fue secuestrado' },
  unknown: { en: 'is missing or had been abducted', es: 'está desaparecido o fue secuestrado' },
} satisfies Record<string, LocalizedText>;

export const questions = {
  cws: {
    en: 'Is the youth currently receiving child welfare services (including probation-supervised foster care)?',
    es: '¿Recibe el joven actualmente servicios de bienestar infantil (incluido el cuidado de crianza supervisado por libertad condicional)?',
  },
  cwsHelp: {
    en: 'The reports to law enforcement and to NCMEC are owed for every youth missing from care, whatever the answer; it goes on record for the case. If you are not sure, choose "Unknown".',
    es: 'Los informes a la policía y al NCMEC se deben para todo joven ausente de su colocación, sea cual sea la respuesta; queda registrada para el caso. Si no está seguro, elija "No se sabe".',
  },
  situation: {
    en: 'Is the youth missing, or is there information that they were abducted?',
    es: '¿Está el joven desaparecido, o hay información de que fue secuestrado?',
  },
  situationHelp: {
    en: 'The same reports are owed either way. Choose "Unknown" if it is not clear yet.',
    es: 'Los informes son los mismos en ambos casos. Elija "No se sabe" si todavía no está claro.',
  },
  believedCse: {
    en: 'From what you know, is the youth reasonably believed to be a victim of commercial sexual exploitation (CSE), or at risk of becoming one?',
    es: 'Según lo que sabe, ¿hay motivos razonables para creer que el joven es víctima de explotación sexual comercial (ESC), o que está en riesgo de serlo?',
  },
  believedCseHelp: {
    en: 'A reasonable belief is enough; nothing has to be proven. The reports are owed either way; a believed or at-risk victim is flagged as such on the NCMEC report. If you are not sure, choose "Unknown".',
    es: 'Basta con una creencia razonable; no hay que demostrar nada. Los informes se deben en cualquier caso; si se cree que es víctima o está en riesgo, se indica así en el informe al NCMEC. Si no está seguro, elija "No se sabe".',
  },
  receivedAt: {
    en: 'When did you or your agency first receive the information that the youth {situation}? (date and time)',
    es: '¿Cuándo recibió usted o su agencia por primera vez la información de que el joven {situation}? (fecha y hora)',
  },
  receivedAtHelp: {
    en: 'Deadlines run from this moment, not from the end of this conversation. If unknown, the start of this conversation is used, and the real deadline may be earlier.',
    es: 'Los plazos se cuentan desde este momento, no desde el final de esta conversación. Si no se sabe, se usa el inicio de esta conversación, y el plazo real podría ser anterior.',
  },
  lastSeenAt: {
    en: 'When was the youth last seen? (date and time)',
    es: '¿Cuándo se vio al joven por última vez? (fecha y hora)',
  },
  lastSeenAtHelp: {
    en: 'Your best estimate is fine.',
    es: 'Basta con su mejor estimación.',
  },
  lastSeenPlace: {
    en: 'Where was the youth last seen?',
    es: '¿Dónde se vio al joven por última vez?',
  },
  lastSeenPlaceHelp: {
    en: 'For example an address, a cross street, a school or the placement.',
    es: 'Por ejemplo, una dirección, un cruce de calles, una escuela o la colocación.',
  },
  physicalDescription: {
    en: 'How might the youth look now? Height, build, hair, eyes, the clothing last worn, and any distinguishing marks such as scars, tattoos or piercings.',
    es: '¿Cómo podría verse el joven ahora? Estatura, complexión, cabello, ojos, la ropa que llevaba la última vez y cualquier seña particular, como cicatrices, tatuajes o perforaciones.',
  },
  physicalDescriptionHelp: {
    en: 'Law enforcement and NCMEC both ask for this. Write what you know; gaps are fine.',
    es: 'La policía y el NCMEC piden estos datos. Escriba lo que sabe; no importa si faltan algunos.',
  },
  endangerment: {
    en: 'Is there anything that puts the youth in particular danger right now? Choose all that apply.',
    es: '¿Hay algo que ponga al joven en un peligro particular en este momento? Elija todo lo que corresponda.',
  },
  endangermentHelp: {
    en: 'This helps law enforcement and NCMEC decide how urgent the search is.',
    es: 'Esto ayuda a la policía y al NCMEC a decidir la urgencia de la búsqueda.',
  },
  endangermentNote: {
    en: 'Is there anything more about these dangers that would help find the youth or keep them safe?',
    es: '¿Hay algo más sobre estos peligros que ayudaría a encontrar al joven o a mantenerlo a salvo?',
  },
  endangermentNoteHelp: {
    en: 'Optional. Skip it if there is nothing to add.',
    es: 'Opcional. Omítalo si no hay nada que agregar.',
  },
  companionsOrVehicle: {
    en: 'Who might the youth be with, and is a vehicle involved? Names, descriptions or a license plate, if known.',
    es: '¿Con quién podría estar el joven, y hay algún vehículo involucrado? Nombres, descripciones o una placa, si se saben.',
  },
  companionsOrVehicleHelp: {
    en: 'Optional. Skip it if nothing is known.',
    es: 'Opcional. Omítalo si no se sabe nada.',
  },
} satisfies Record<string, LocalizedText>;

/** Names of the data elements as the summary lists them, for copying into the NCIC and NCMEC reports. */
export const summaryLabels = {
  situation: { en: 'Missing or abducted', es: 'Desaparecido o secuestrado' },
  lastSeenAt: { en: 'Last seen (date and time)', es: 'Visto por última vez (fecha y hora)' },
  lastSeenPlace: { en: 'Last seen (place)', es: 'Visto por última vez (lugar)' },
  physicalDescription: { en: 'Physical description', es: 'Descripción física' },
  endangerment: { en: 'Endangerment', es: 'Situación de peligro' },
  endangermentNote: { en: 'About the endangerment', es: 'Sobre la situación de peligro' },
  companionsOrVehicle: { en: 'Companions or vehicle', es: 'Acompañantes o vehículo' },
} satisfies Record<string, LocalizedText>;

/** R-REPORT-2: the line the NCMEC task carries when the youth is believed to be a CSE victim or at risk. */
export const ncmecFlags = {
  victim: {
    en: 'The youth is believed to be a victim of commercial sexual exploitation: flag this on the NCMEC report.',
    es: 'Se cree que el joven es víctima de explotación sexual comercial: indíquelo así en el informe al NCMEC.',
  },
  at_risk: {
    en: 'The youth is believed to be at risk of commercial sexual exploitation: flag this on the NCMEC report.',
    es: 'Se cree que el joven está en riesgo de explotación sexual comercial: indíquelo así en el informe al NCMEC.',
  },
} satisfies Record<string, LocalizedText>;

export const outcomeNotices = {
  receivedAtAssumed: {
    en: 'The time the information was received is unknown; deadlines run from the start of this conversation and the real deadline may be earlier. Report immediately.',
    es: 'Se desconoce cuándo se recibió la información; los plazos se cuentan desde el inicio de esta conversación y el plazo real podría ser anterior. Informe de inmediato.',
  },
  alreadyOverdue: {
    en: 'The deadline for the reports to law enforcement and to NCMEC had already passed when this conversation started, so they are overdue. Make them now.',
    es: 'El plazo de los informes a la policía y al NCMEC ya había vencido cuando se inició esta conversación, por lo que están atrasados. Hágalos ahora.',
  },
  // R-REPORT-2
  notInCws: {
    en: 'You recorded that the youth is not receiving child welfare services. The reports to law enforcement for NCIC entry and to NCMEC are owed for every child or youth missing from foster care (42 U.S.C. § 671(a)(35)(B)), so both were opened. If the youth was not in care, cancel them with the reason.',
    es: 'Usted indicó que el joven no recibe servicios de bienestar infantil. Los informes a la policía para el registro en NCIC y al NCMEC se deben para todo niño o joven ausente del cuidado de crianza (42 U.S.C. § 671(a)(35)(B)), por lo que se abrieron los dos. Si el joven no estaba bajo cuidado, cancélelos indicando el motivo.',
  },
  // R-REPORT-2
  notBelievedCse: {
    en: 'You recorded that the youth is not believed to be a victim of CSE or at risk. The reports to law enforcement for NCIC entry and to NCMEC are owed for every youth missing from care, so both were opened without a CSE flag. If you learn of a concern later, tell NCMEC and law enforcement.',
    es: 'Usted indicó que no se cree que el joven sea víctima de ESC ni que esté en riesgo. Los informes a la policía para el registro en NCIC y al NCMEC se deben para todo joven ausente de su colocación, por lo que se abrieron los dos sin indicación de ESC. Si más adelante sabe de alguna preocupación, avise al NCMEC y a la policía.',
  },
} satisfies Record<string, LocalizedText>;

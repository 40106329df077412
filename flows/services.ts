import type { Duty } from './duties.ts';
import type { Locale, LocalizedText } from './i18n.ts';

/** A partner organisation a referral can go to (R-SVC-2: shelters, LGBT youth organisations, survivor advocates). */
export interface PartnerOrganisation {
  org: string;
  name: string;
}

export interface Service {
  id: string;
  label: LocalizedText;
  /** Where this county refers for the service; empty means the county's own staff arrange it. */
  partners: readonly PartnerOrganisation[];
}

/**
 * R-SVC-1: exactly the specialized services the seed lists (County Fiscal Letter No. 16/17-73), in its order.
 * A county extends the list or names its partner organisations through configuration.
 */
export const defaultServiceCatalogue: readonly Service[] = [
  {
    id: 'specialized_counseling',
    label: { en: 'Specialized counseling', es: 'Consejería especializada' },
    partners: [],
  },
  { id: 'tattoo_removal', label: { en: 'Tattoo removal', es: 'Eliminación de tatuajes' }, partners: [] },
  {
    id: 'specialized_housing',
    label: {
      en: 'Seeking and obtaining specialized housing',
      es: 'Búsqueda y obtención de vivienda especializada',
    },
    partners: [],
  },
  {
    id: 'emergency_housing',
    label: {
      en: 'Emergency housing or shelter assistance (vouchers, deposits, furniture)',
      es: 'Ayuda de vivienda o refugio de emergencia (vales, depósitos, muebles)',
    },
    partners: [],
  },
  {
    id: 'gang_affiliation',
    label: { en: 'Addressing gang affiliation', es: 'Atención a la afiliación a pandillas' },
    partners: [],
  },
  {
    id: 'reproductive_health_education',
    label: {
      en: 'Reproductive health and healthy relationships education',
      es: 'Educación en salud reproductiva y relaciones sanas',
    },
    partners: [],
  },
  { id: 'legal_assistance', label: { en: 'Legal assistance', es: 'Asistencia legal' }, partners: [] },
  {
    id: 'pregnancy_parenting',
    label: { en: 'Pregnancy and parenting services', es: 'Servicios de embarazo y crianza' },
    partners: [],
  },
  {
    id: 'financial_education',
    label: { en: 'Financial education training', es: 'Capacitación en educación financiera' },
    partners: [],
  },
  {
    id: 'vocational_life_skills',
    label: {
      en: 'Vocational, life-skills and other CSEC trainings',
      es: 'Capacitación vocacional, de habilidades para la vida y otras capacitaciones CSEC',
    },
    partners: [],
  },
  {
    id: 'training_stipends',
    label: {
      en: 'Stipends for taking part in trainings',
      es: 'Estipendios por participar en capacitaciones',
    },
    partners: [],
  },
];

const referralWords = {
  title: { en: 'Referral: {service}', es: 'Remisión: {service}' },
  description: {
    en: 'Refer the youth for this service and record it in the case plan.',
    es: 'Remita al joven a este servicio y regístrelo en el plan del caso.',
  },
  to: { en: ' Refer to: {partners}.', es: ' Remitir a: {partners}.' },
} satisfies Record<string, LocalizedText>;

/** The law sets no deadline for a referral; two weeks is a county-policy default. */
const REFERRAL_WITHIN_HOURS = 24 * 14;

export interface ReferralDuty extends Duty {
  referTo: PartnerOrganisation[];
}

/** Each service the youth needs becomes a referral task (R-SVC-1), addressed to the county's partners for it (R-SVC-2). */
export function referralDuties(
  serviceIds: readonly string[],
  catalogue: readonly Service[],
  informationReceivedAt: string,
  locale: Locale,
): ReferralDuty[] {
  const received = Date.parse(informationReceivedAt);
  return catalogue
    .filter((service) => serviceIds.includes(service.id))
    .map((service) => {
      const partners = service.partners.map((partner) => partner.name).join(', ');
      return {
        ruleId: `referral-${service.id.replaceAll('_', '-')}`,
        taskType: 'referral',
        requirementId: 'R-SVC-1',
        citation: 'County Fiscal Letter No. 16/17-73; Welf. & Inst. Code § 16524.7',
        title: referralWords.title[locale].replace('{service}', service.label[locale]),
        description:
          referralWords.description[locale] +
          (partners ? referralWords.to[locale].replace('{partners}', partners) : ''),
        assigneeRole: 'caseworker',
        // The services "may include" (CFL 16/17-73): which to refer for is the county's program, not a statute.
        obligation: 'policy',
        receivedAt: new Date(received).toISOString(),
        dueAt: new Date(received + REFERRAL_WITHIN_HOURS * 3_600_000).toISOString(),
        deadlineBasis: 'policy',
        referTo: [...service.partners],
      };
    });
}

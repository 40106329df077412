/**
 * What a caseworker can type, in English or Spanish; accents, case and extra spaces do not matter. A flow
 * command carries the case reference after it ("screen CASE-1234"); `resume 2` picks the second of the
 * unfinished conversations `resume` listed.
 */
export type Command =
  | { kind: 'start'; flow: string; word: string; subjectRef: string | undefined }
  | { kind: 'resume'; pick?: number }
  | { kind: 'tasks' }
  | { kind: 'board' }
  | { kind: 'help' }
  | { kind: 'unknown' };

const flowWords: Array<[string, string]> = [
  ['return interview', 'runaway-return'],
  ['entrevista de regreso', 'runaway-return'],
  ['entrevista', 'runaway-return'],
  ['screening', 'cse-screening'],
  ['screen', 'cse-screening'],
  ['evaluacion', 'cse-screening'],
  ['evaluar', 'cse-screening'],
  ['missing', 'missing-from-care'],
  ['desaparecido', 'missing-from-care'],
  ['desaparecida', 'missing-from-care'],
  ['custody', 'custody-check'],
  ['custodia', 'custody-check'],
];

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** Teams wraps an @mention of the bot in <at>…</at> inside channel messages. */
const withoutMentions = (text: string) => text.replace(/<at>[^<]*<\/at>/gi, ' ');

export function parseCommand(raw: string | undefined): Command {
  const original = withoutMentions(raw ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const text = fold(original);
  if (['help', 'ayuda', '?'].includes(text)) return { kind: 'help' };
  const resume = /^(?:resume|continue|continuar|reanudar)(?: #?(\d{1,3}))?$/.exec(text);
  if (resume)
    return resume[1] === undefined ? { kind: 'resume' } : { kind: 'resume', pick: Number(resume[1]) };
  if (['my tasks', 'tasks', 'mis tareas', 'tareas'].includes(text)) return { kind: 'tasks' };
  if (['board', 'unit board', 'dashboard', 'tablero', 'panel', 'tablero de la unidad'].includes(text))
    return { kind: 'board' };
  for (const [word, flow] of flowWords) {
    if (text === word || text.startsWith(`${word} `)) {
      // The reference is taken from the original text, so its case survives.
      const rest = original.split(' ').slice(word.split(' ').length).join(' ').trim();
      return { kind: 'start', flow, word, subjectRef: rest.length > 0 ? rest : undefined };
    }
  }
  return { kind: 'unknown' };
}

import { describe, expect, it } from 'vitest';
import { refusalSays } from '#functions/teams/wording.ts';

/** Issue 19: a Spanish chat hears the flow's and the API's refusals in Spanish, never the API's English. */
describe('refusals in the user’s language', () => {
  it('keeps the API’s own English sentence in English, which names the exact choice', () => {
    expect(refusalSays('en', 'choice_not_offered', '"maybe" is not one of the choices offered.')).toBe(
      '"maybe" is not one of the choices offered.',
    );
  });

  it('says every refusal in Spanish in a Spanish chat, a plain sentence for codes it has no words for', () => {
    const codes = [
      'empty_answer',
      'conversation_completed',
      'conversation_paused',
      'not_paused',
      'cannot_go_back',
      'unknown_not_allowed',
      'skip_not_allowed',
      'note_not_allowed',
      'choice_not_offered',
      'datetime_in_future',
      'event_not_accepted',
      'not_found',
      'forbidden',
      'some_new_code',
    ];
    for (const code of codes) {
      const said = refusalSays('es', code, 'The answer is empty.');
      expect(said).not.toContain('The answer');
      expect(said).not.toContain(code);
      const plain = refusalSays('es', 'some_new_code', '');
      if (code === 'some_new_code')
        expect(said).toBe('No se pudo hacer eso. Revise la tarjeta e intente de nuevo.');
      else expect(said).not.toBe(plain);
    }
    expect(refusalSays('es', 'empty_answer', 'The answer is empty.')).toMatch(/^La respuesta está vacía/);
  });
});

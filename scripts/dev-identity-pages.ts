import type { Role } from '#functions/domain/principal.ts';

/** The development identity provider's pages: pick a demo user (no passwords), and errors. */

export interface DemoUser {
  id: string;
  name: string;
  org: string;
  unit: string;
  groups: Role[];
  /** What this role may see, shown on the sign-in page so a tester picks the right user. */
  description: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
ul { list-style: none; padding: 0; }
li { margin-bottom: 1rem; }
button { font: inherit; padding: 0.5rem 1rem; min-height: 44px; cursor: pointer; }
button:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
p { margin: 0.25rem 0; }
.note { border-left: 4px solid #c64600; padding-left: 0.75rem; }`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The demo users as buttons of one form posting to `action`, with `hidden` fields carried along. */
export function signInPage(
  users: readonly DemoUser[],
  action: string,
  hidden: Record<string, string>,
  persistent: boolean,
): string {
  const items = users
    .map(
      (user, index) => `<li>
  <button type="submit" name="user" value="${escapeHtml(user.id)}" aria-describedby="user-${index}">${escapeHtml(user.name)}</button>
  <p id="user-${index}">${escapeHtml(user.description)} <span>(${escapeHtml(user.id)}, ${escapeHtml(user.org)} / ${escapeHtml(user.unit)})</span></p>
</li>`,
    )
    .join('\n');
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const keyNote = persistent
    ? 'Tokens are signed by a key kept in the data directory and are accepted only by the local stack.'
    : 'Tokens are signed by a key that exists only in this process and are accepted only by the local stack.';
  return page(
    'Sign in: local development',
    `<h1>Sign in</h1>
<p class="note">This is a local development sign-in. There are no passwords: choose a demo user. ${keyNote}</p>
<form method="post" action="${escapeHtml(action)}">
${fields}
<fieldset>
<legend>Demo users</legend>
<ul>
${items}
</ul>
</fieldset>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

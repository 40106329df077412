import * as AdaptiveCards from 'adaptivecards';

/**
 * Properties the Adaptive Card 1.5 schema requires of the elements our cards use (adaptivecards.io/schemas/
 * 1.5.0/adaptive-card.json, `required`); Microsoft's SDK below parses a card without them, so they are
 * checked here.
 */
const REQUIRED: Record<string, readonly string[]> = {
  AdaptiveCard: ['type'],
  TextBlock: ['text'],
  FactSet: ['facts'],
  Container: ['items'],
  ColumnSet: [],
  ActionSet: ['actions'],
  'Input.Text': ['id'],
  'Input.Date': ['id'],
  'Input.Time': ['id'],
  'Input.ChoiceSet': ['id'],
  'Action.ShowCard': [],
  'Action.Submit': [],
};

function missingRequired(node: unknown, path: string, problems: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      missingRequired(item, `${path}/${index}`, problems);
    });
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.type === 'string') {
    for (const property of REQUIRED[record.type] ?? [])
      if (record[property] === undefined || record[property] === '')
        problems.push(`${path}: ${record.type} lacks its required "${property}"`);
  }
  if (/\/facts\/\d+$/.test(path) && (typeof record.title !== 'string' || typeof record.value !== 'string'))
    problems.push(`${path}: a Fact needs a string title and value`);
  for (const [key, value] of Object.entries(record))
    if (key !== 'data') missingRequired(value, `${path}/${key}`, problems);
}

/**
 * What Microsoft's own Adaptive Cards SDK (the renderer Bot Framework Web Chat ships) finds wrong with a
 * card read as version 1.5, the version Teams renders and cards.ts writes: unknown element or action types,
 * values a property does not take (a colour, a size), inputs without a unique id; and required properties
 * missing. Empty when the card is valid.
 */
export function adaptiveCardProblems(content: unknown): string[] {
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  const card = new AdaptiveCards.AdaptiveCard();
  // How many buttons a host shows is its host config's setting, not the schema's: the SDK's default host
  // config (5) is not Teams', so it is not held against the card here.
  card.hostConfig = new AdaptiveCards.HostConfig({ actions: { maxActions: 100 } });
  card.parse(content, context);
  const problems: string[] = [];
  if ((content as { version?: unknown }).version !== '1.5') problems.push('the card is not version 1.5');
  for (let index = 0; index < context.eventCount; index += 1)
    problems.push(context.getEventAt(index).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  missingRequired(content, '', problems);
  return problems;
}

/**
 * Transcript tests in the Botium style: turns that begin with `#me` (what the person says) and
 * `#bot` (what the bot's answer must contain, case and spacing aside; `#bot intent:<id>` asks for
 * the intent it recognised instead). A turn's text is on the marker's line or the lines after it.
 */
export interface Turn {
  who: 'me' | 'bot';
  text: string;
  /** The line the turn starts on, from 1, for the error that names it. */
  line: number;
}

export function parseTranscript(source: string): Turn[] {
  const turns: Turn[] = [];
  for (const [i, raw] of source.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const marker = /^#(me|bot)\b\s*(.*)$/i.exec(line);
    if (marker) {
      turns.push({ who: marker[1]!.toLowerCase() as Turn['who'], text: marker[2]!, line: i + 1 });
      continue;
    }
    if (!line) continue;
    const last = turns.at(-1);
    if (!last) throw new Error(`line ${i + 1}: a transcript begins with #me or #bot`);
    last.text = last.text ? `${last.text} ${line}` : line;
  }
  if (!turns.some((t) => t.who === 'me')) throw new Error('a transcript needs at least one #me turn');
  for (const t of turns) if (!t.text.trim()) throw new Error(`line ${t.line}: #${t.who} without text`);
  if (turns[0]!.who !== 'me') throw new Error(`line ${turns[0]!.line}: the person speaks first`);
  return turns;
}

const normal = (s: string) => s.toLocaleLowerCase('fi').replace(/\s+/g, ' ').trim();

/** Whether a bot's reply meets a `#bot` turn. */
export function replyMeets(expected: string, reply: { text: string; intent: string | null }): boolean {
  const intent = /^intent:\s*(\S+)$/i.exec(expected.trim());
  if (intent) return reply.intent === intent[1];
  return normal(reply.text).includes(normal(expected));
}

// What the rest of the bot may know of a chat platform without loading it: its name, how a sentence
// names it, and how people write its channel and user ids (an import's columns, `kpi subscribe`).
export interface PlatformAbout<Name extends string = string> {
  name: Name;
  /** As people name it in a sentence ("someone on <label>"). */
  label: string;
  /** How its channel ids are written, for an import's Alert channel column and `kpi subscribe`. */
  channel: { pattern: RegExp; example: string };
  /** How a register's People sheet gives its user ids: the column names people use, and the id's form. */
  identity: { columns: string[]; pattern: RegExp; invalid: string; normalise?: (id: string) => string };
  /** Request headers that carry a signature or secret: redacted from every log line. */
  secretHeaders?: string[];
}

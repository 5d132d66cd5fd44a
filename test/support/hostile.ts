// What a person could type into any field the bot later shows (an indicator's name, a theme, a note,
// an exception report's answer, a person's name, a reason), and counters that read a rendered
// message the way its reader would: how many live links, mentions and raw HTML tags it carries.
// A hostile string must add none of them to what the bot itself writes (the benign run of the same
// builder is the baseline).

/** The payloads: each alone, or several run together, go into every user-supplied field. */
export function hostilePayloads(adminId: number): string[] {
  return [
    '[click here](https://evil.example/md)',
    '<https://evil.example/slack|click here>',
    '<http://evil.example/bare>',
    `<@person:${adminId}>`,
    '<@U123ABC>',
    '<!channel>',
    '<!here>',
    '<#C123|general>',
    '<at>Admin</at>',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="https://evil.example/a">x</a>',
    '=HYPERLINK("https://evil.example/f","x")',
    '+cmd|"/c calc"!A1',
    '@SUM(1+1)*cmd|"/c calc"!A1',
    '-2+3',
    '\u202Eexe.txt',
    'zero\u200Bwidth\u200Cjoin\u200Dmark\uFEFF',
    '\u001b[31mred\u001b[0m\u0007',
    '**bold** _italic_ ~strike~ `code`',
    'x`[out](https://evil.example/code)`',
    '\\[escaped\\](https://evil.example/esc)',
    '![img](https://evil.example/i.png)',
    "O'Brien & Sons",
    'Q3 <5% & >2%',
    '# heading\n- item\n1. first\n> quote',
    '| pipe | table |',
  ];
}

/** Readable text that is the same shape as a payload: the baseline run. */
export const benign = (i: number) => `Plain words ${i}`;

// ---- counters: one per format, as the format's reader reads it ----

export interface Found {
  links: number;
  /** Links whose target is the attacker's (evil.example): there must never be one. */
  evilLinks: number;
  mentions: number;
  /** @channel, @here, @everyone and the like: the bot never sends one. */
  broadcasts: number;
  html: number;
}

export const none = (): Found => ({ links: 0, evilLinks: 0, mentions: 0, broadcasts: 0, html: 0 });

export function add(a: Found, b: Found): Found {
  return { links: a.links + b.links, evilLinks: a.evilLinks + b.evilLinks, mentions: a.mentions + b.mentions, broadcasts: a.broadcasts + b.broadcasts, html: a.html + b.html };
}

const count = (s: string, re: RegExp) => [...s.matchAll(re)].length;

/**
 * Slack mrkdwn: & < > are escaped in text (entities), so every `<` that is left is Slack's own syntax:
 * a link <https://…|label>, a mention <@U…>, a broadcast <!channel>, a channel <#C…>.
 */
export function slackFound(mrkdwn: string): Found {
  const links = [...mrkdwn.matchAll(/<((?:https?|mailto|ftp):[^>|]*)(?:\|[^>]*)?>/g)];
  return {
    links: links.length,
    evilLinks: links.filter((m) => m[1]!.includes('evil')).length,
    mentions: count(mrkdwn, /<@[A-Z0-9]+(?:\|[^>]*)?>/g) + count(mrkdwn, /<#C[A-Z0-9]*/g),
    broadcasts: count(mrkdwn, /<!/g),
    html: count(mrkdwn, /<\/?(?:script|img|a|iframe|at)\b/gi),
  };
}

/** Positions in markdown that are not escaped by a backslash (an even run of backslashes before them). */
function unescaped(s: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 0;
}

/** Markdown links [label](target) (and images) whose brackets and parenthesis are all unescaped. */
function markdownLinks(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)/g)) {
    const open = m.index!;
    const close = open + 1 + m[1]!.length;
    if (unescaped(md, open) && unescaped(md, close) && unescaped(md, close + 1)) out.push(m[2]!);
  }
  return out;
}

/** Raw HTML tags and autolinks <https://…> in markdown: a `<` not escaped, followed by a tag or a scheme. */
function markdownTags(md: string): { tags: string[]; autolinks: string[] } {
  const tags: string[] = [];
  const autolinks: string[] = [];
  for (const m of md.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9]*|!|@|#)([^>]*)>?/g)) {
    if (!unescaped(md, m.index!)) continue;
    if (/^(https?|mailto|ftp)$/i.test(m[1]!) && m[2]!.startsWith(':')) autolinks.push(m[0]);
    else tags.push(m[0]);
  }
  return { tags, autolinks };
}

/** Markdown (the Markdown report; Teams card text): links, autolinks, raw HTML. `<at>` is Teams' mention. */
export function markdownFound(md: string): Found {
  const links = markdownLinks(md);
  const { tags, autolinks } = markdownTags(md);
  const mentions = tags.filter((t) => /^<at>/i.test(t));
  return {
    links: links.length + autolinks.length,
    evilLinks: [...links, ...autolinks].filter((l) => l.includes('evil')).length,
    mentions: mentions.length,
    broadcasts: tags.filter((t) => /^<[!@#]/.test(t)).length,
    html: tags.filter((t) => !/^<\/?at>/i.test(t) && !/^<[!@#]/.test(t)).length,
  };
}

/** An HTML document (the HTML and PDF reports): tags a browser would build. */
export function htmlFound(html: string): Found {
  const links = [...html.matchAll(/<a\b[^>]*href="([^"]*)"/gi)];
  return {
    links: links.length,
    evilLinks: links.filter((m) => m[1]!.includes('evil')).length,
    mentions: 0,
    broadcasts: 0,
    html: count(html, /<(?:script|iframe|object|embed)\b/gi) + count(html, /<[a-z]+\b[^>]*\son[a-z]+=/gi),
  };
}

/** Terminal text: escape sequences and other control characters (all but newline and tab), and bidi overrides. */
export function consoleFound(text: string): Found {
  const controls = count(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g);
  return { ...none(), html: controls };
}

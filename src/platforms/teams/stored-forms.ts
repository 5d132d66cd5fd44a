// Forms sent as Teams cards, kept server-side (the open_form table). A card's buttons carry only the
// row's id: the form (its intro, fields, state) and what has been typed so far stay here. So a long
// exception-report draft is in the card once — as the inputs' values — instead of twice (values and
// the Submit button's data), and a form too large for one Teams message can be shown page by page,
// each page's answers merged here as the person moves on. The id is 128 random bits; a row answers
// only the person it was sent to, and is deleted when the form is done, cancelled or expired.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock, StoredFormStore } from '../../ports.ts';
import type { Form, FormValues } from '../../messages/types.ts';

/** How long a form left open in a chat can still be submitted. */
export const FORM_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export interface StoredForm {
  id: string;
  audience: string | null;
  form: Form;
  values: FormValues;
  /** Field ids per page, as last shown. */
  pages: string[][];
}

// The form was built by this bot; this only guards against a row it cannot read.
const formSchema = z.looseObject({ id: z.string(), title: z.string(), submitLabel: z.string(), state: z.string(), fields: z.array(z.looseObject({ id: z.string(), kind: z.string() })) });
const valuesSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]).optional());
const pagesSchema = z.array(z.array(z.string()));

export class StoredForms {
  constructor(
    private readonly rows: StoredFormStore,
    private readonly clock: Clock,
  ) {}

  /** A new form's id (its card is drawn with it before the form is kept). */
  newId(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Keep a form for `audience` (their Entra object id); removes expired ones on the way. */
  async create(f: StoredForm): Promise<void> {
    const now = this.clock.now();
    await this.rows.deleteExpired(now);
    await this.rows.create({ id: f.id, audience: f.audience, form: f.form, values: clean(f.values), pages: f.pages, createdAt: now, expiresAt: new Date(now.getTime() + FORM_RETENTION_DAYS * DAY_MS) });
  }

  /** A form still open, or null (unknown, expired, or not readable). */
  async get(id: string): Promise<StoredForm | null> {
    const row = await this.rows.get(id);
    if (!row || row.expiresAt < this.clock.now()) return null;
    const form = formSchema.safeParse(row.form);
    const values = valuesSchema.safeParse(row.values);
    const pages = pagesSchema.safeParse(row.pages);
    if (!form.success || !values.success || !pages.success) return null;
    return { id: row.id, audience: row.audience, form: form.data as unknown as Form, values: values.data, pages: pages.data };
  }

  async save(f: Pick<StoredForm, 'id' | 'values' | 'pages'>): Promise<void> {
    await this.rows.update(f.id, { values: clean(f.values), pages: f.pages });
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete(id);
  }
}

/** JSON has no undefined: an empty field is simply absent. */
function clean(values: FormValues): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}

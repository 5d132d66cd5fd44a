// What the Teams routes are made of: small parts, each route taking only those it uses.
import type { Inbound } from '../../core/inbound.ts';
import type { TeamsMessenger } from '../messenger.ts';
import type { TeamsConfig } from '../sdk.ts';
import type { RefusalLog } from '../refusals.ts';
import type { StoredForms } from '../stored-forms.ts';
import type { TeamsFormCards } from '../form-cards.ts';
import type { TeamsTurns, Turn } from '../turns.ts';

/** The parts the routes are made of. */
export interface TeamsParts {
  inbound: Inbound<Turn>;
  turns: TeamsTurns;
  cards: TeamsFormCards;
  forms: StoredForms;
  messenger: TeamsMessenger;
  config: TeamsConfig;
  /** Refused activities: one warn line each, identical lines rate-limited. */
  refusals: RefusalLog;
}

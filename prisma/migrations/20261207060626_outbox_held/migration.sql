-- An outgoing message the platform may already have, which the bot cannot look for (a Slack scope its
-- token lacks), is held for an admin instead of being retried for hours or posted twice.
-- AlterEnum
ALTER TYPE "OutboundState" ADD VALUE 'held';

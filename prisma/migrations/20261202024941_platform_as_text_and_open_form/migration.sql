-- A platform is named by text (its name in src/platforms/index.ts), as person_identity already is,
-- so a new chat platform needs no migration. The values are kept (USING …::text), and so are the
-- unique indexes on them (PostgreSQL rebuilds them with the column).
ALTER TABLE "channel_subscription" ALTER COLUMN "platform" TYPE TEXT USING "platform"::text;
ALTER TABLE "conversation_ref" ALTER COLUMN "platform" TYPE TEXT USING "platform"::text;
ALTER TABLE "outbound_message" ALTER COLUMN "platform" TYPE TEXT USING "platform"::text;
DROP TYPE "Platform";

-- Forms sent as cards: the table is named for what it holds, not the platform that uses it, and
-- the forms open now stay open.
ALTER TABLE "teams_form" RENAME TO "open_form";
ALTER TABLE "open_form" RENAME CONSTRAINT "teams_form_pkey" TO "open_form_pkey";
ALTER INDEX "teams_form_expires_at_idx" RENAME TO "open_form_expires_at_idx";

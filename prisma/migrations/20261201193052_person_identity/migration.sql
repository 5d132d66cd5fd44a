-- Reach a real workspace (issue 14):
-- * who a person is on each chat platform becomes data (person_identity) instead of a column per
--   platform, and every existing Slack and Teams link is kept,
-- * lookups by e-mail (Slack users.lookupByEmail, a Teams roster) are remembered, found or not,
-- * a message nobody can be found for is kept as undeliverable (no platform) with its reason,
-- * channel subscriptions get an event filter, a name and one row per channel and scope,
-- * a reminder remembers the message that carried it.

-- AlterEnum
ALTER TYPE "OutboundState" ADD VALUE 'undeliverable';

-- CreateTable
CREATE TABLE "person_identity" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "platform_user_id" TEXT NOT NULL,
    "person_id" INTEGER NOT NULL,
    "linked_by" TEXT NOT NULL,
    "linked_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "person_identity_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "person_identity_platform_platform_user_id_key" ON "person_identity"("platform", "platform_user_id");
CREATE UNIQUE INDEX "person_identity_person_id_platform_key" ON "person_identity"("person_id", "platform");
ALTER TABLE "person_identity" ADD CONSTRAINT "person_identity_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Keep every existing link.
INSERT INTO "person_identity" ("platform", "platform_user_id", "person_id", "linked_by", "linked_at")
SELECT 'slack', "slack_user_id", "id", 'migration', "updated_at" FROM "person" WHERE "slack_user_id" IS NOT NULL;
INSERT INTO "person_identity" ("platform", "platform_user_id", "person_id", "linked_by", "linked_at")
SELECT 'teams', "teams_user_id", "id", 'migration', "updated_at" FROM "person" WHERE "teams_user_id" IS NOT NULL;

DROP INDEX "person_slack_user_id_key";
DROP INDEX "person_teams_user_id_key";
ALTER TABLE "person" DROP COLUMN "slack_user_id",
DROP COLUMN "teams_user_id";

-- CreateTable
CREATE TABLE "identity_lookup" (
    "person_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "outcome" TEXT,
    "detail" TEXT,
    "looked_up_at" TIMESTAMP(3),
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMP(3),
    "reported_at" TIMESTAMP(3),

    CONSTRAINT "identity_lookup_pkey" PRIMARY KEY ("person_id","platform")
);
ALTER TABLE "identity_lookup" ADD CONSTRAINT "identity_lookup_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "outbound_message" ALTER COLUMN "platform" DROP NOT NULL;

-- AlterTable
ALTER TABLE "reminder" ADD COLUMN     "message_key" TEXT;

-- Channel subscriptions: one per channel and scope (the old unique key let NULLs repeat).
ALTER TABLE "channel_subscription" ADD COLUMN     "channel_name" TEXT,
ADD COLUMN     "created_by_id" INTEGER,
ADD COLUMN     "events" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "scope" TEXT;
UPDATE "channel_subscription" SET "scope" = CASE
  WHEN "indicator_id" IS NOT NULL THEN 'indicator:' || "indicator_id"
  WHEN "theme_id" IS NOT NULL THEN 'theme:' || "theme_id"
  ELSE 'all' END;
DELETE FROM "channel_subscription" a USING "channel_subscription" b
WHERE a."platform" = b."platform" AND a."channel_id" = b."channel_id" AND a."scope" = b."scope" AND a."id" > b."id";
ALTER TABLE "channel_subscription" ALTER COLUMN "scope" SET NOT NULL;
DROP INDEX "channel_subscription_platform_channel_id_theme_id_indicator_key";
CREATE UNIQUE INDEX "channel_subscription_platform_channel_id_scope_key" ON "channel_subscription"("platform", "channel_id", "scope");

-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "claim_token" TEXT,
ADD COLUMN     "claimed_until" TIMESTAMP(3),
ADD COLUMN     "progress" JSONB;

-- Sign-off holds the report: a signed-off quarter keeps its report as signed off (period_lock.report)
-- and what it covered per indicator (signed_off_value), and an approved exception report remembers the
-- value and status it was approved for, and goes back to needs_update when they change.
-- AlterEnum
ALTER TYPE "ExceptionState" ADD VALUE 'needs_update';

-- AlterTable
ALTER TABLE "exception_report" ADD COLUMN     "approved_status" "RagStatus",
ADD COLUMN     "approved_value" DECIMAL(20,6);

-- AlterTable
ALTER TABLE "period_lock" ADD COLUMN     "report" JSONB,
ADD COLUMN     "report_taken_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "signed_off_value" (
    "quarter_key" TEXT NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "version" INTEGER,

    CONSTRAINT "signed_off_value_pkey" PRIMARY KEY ("quarter_key","indicator_id","period_key")
);

-- CreateIndex
CREATE INDEX "signed_off_value_indicator_id_period_key_idx" ON "signed_off_value"("indicator_id", "period_key");

-- AddForeignKey
ALTER TABLE "signed_off_value" ADD CONSTRAINT "signed_off_value_quarter_key_fkey" FOREIGN KEY ("quarter_key") REFERENCES "period_lock"("period_key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signed_off_value" ADD CONSTRAINT "signed_off_value_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Reports approved before this version: the value of their period when they were approved (their
-- status then is not known, a change of value is still seen).
UPDATE "exception_report" e SET "approved_value" = (
  SELECT o."value" FROM "observation" o
  WHERE o."indicator_id" = e."indicator_id" AND o."period_key" = e."period_key" AND (e."reviewed_at" IS NULL OR o."submitted_at" <= e."reviewed_at")
  ORDER BY o."version" DESC LIMIT 1
) WHERE e."state" = 'approved';

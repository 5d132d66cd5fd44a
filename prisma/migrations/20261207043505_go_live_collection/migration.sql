-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "bank_holidays" TEXT NOT NULL DEFAULT 'england-and-wales',
ADD COLUMN     "collect_from" TEXT,
ADD COLUMN     "collecting_since" DATE;

-- CreateTable
CREATE TABLE "not_collected" (
    "id" SERIAL NOT NULL,
    "indicator_id" INTEGER,
    "theme_id" INTEGER,
    "period_key" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "by_id" INTEGER,
    "by_label" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "not_collected_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "not_collected_period_start_period_end_idx" ON "not_collected"("period_start", "period_end");

-- AddForeignKey
ALTER TABLE "not_collected" ADD CONSTRAINT "not_collected_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "not_collected" ADD CONSTRAINT "not_collected_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "not_collected" ADD CONSTRAINT "not_collected_by_id_fkey" FOREIGN KEY ("by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

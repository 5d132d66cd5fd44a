-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "demo_today" DATE;

-- AlterTable
ALTER TABLE "status_change" ADD COLUMN     "forecast_miss" BOOLEAN,
ADD COLUMN     "target" DECIMAL(20,6);

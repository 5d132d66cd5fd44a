-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "latest_available" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "formula" TEXT;

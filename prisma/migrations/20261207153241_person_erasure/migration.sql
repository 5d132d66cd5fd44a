-- AlterTable
ALTER TABLE "person" ADD COLUMN     "erased_at" TIMESTAMP(3);

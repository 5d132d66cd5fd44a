-- AlterTable
ALTER TABLE "person" ADD COLUMN     "successor_id" INTEGER;

-- AlterTable
ALTER TABLE "person_identity" ADD COLUMN     "confirmed" BOOLEAN NOT NULL DEFAULT true;

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_successor_id_fkey" FOREIGN KEY ("successor_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Ids that came from a People sheet were never confirmed by their platform (a placeholder such as
-- ULUCY, or a typo, hijacked the person): they are confirmed again, or replaced, the next time the
-- person is reached or writes.
UPDATE "person_identity" SET "confirmed" = false WHERE "linked_by" = 'import';

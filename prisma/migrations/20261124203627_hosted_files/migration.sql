-- The chart images become one store for every file the bot serves to Teams (charts and the files
-- messages carry). The table is renamed rather than recreated, so charts already posted keep their
-- ids and /charts/<id>.png keeps serving them. (Prisma's generated diff dropped and recreated it.)
ALTER TABLE "chart_image" RENAME TO "hosted_file";
ALTER TABLE "hosted_file" RENAME CONSTRAINT "chart_image_pkey" TO "hosted_file_pkey";
ALTER TABLE "hosted_file" RENAME COLUMN "png" TO "bytes";

-- Every existing row is a chart PNG.
ALTER TABLE "hosted_file" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'chart',
    ADD COLUMN "content_type" TEXT NOT NULL DEFAULT 'image/png',
    ADD COLUMN "filename" TEXT;
UPDATE "hosted_file" SET "filename" = "id" || '.png';
ALTER TABLE "hosted_file" ALTER COLUMN "filename" SET NOT NULL,
    ALTER COLUMN "kind" DROP DEFAULT,
    ALTER COLUMN "content_type" DROP DEFAULT,
    ALTER COLUMN "alt_text" DROP NOT NULL,
    DROP COLUMN "width",
    DROP COLUMN "height";

-- DropIndex
DROP INDEX "chart_image_created_at_idx";

-- CreateIndex
CREATE INDEX "hosted_file_kind_created_at_idx" ON "hosted_file"("kind", "created_at");

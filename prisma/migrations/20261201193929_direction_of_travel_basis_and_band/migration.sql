-- CreateEnum
CREATE TYPE "MaintainedBandKind" AS ENUM ('relative', 'precision');

-- AlterEnum
ALTER TYPE "DotBasis" ADD VALUE 'baseline';

-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "maintained_band" DECIMAL(20,6),
ADD COLUMN     "maintained_band_kind" "MaintainedBandKind";

-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "dot_basis" "DotBasis" NOT NULL DEFAULT 'previous',
ADD COLUMN     "maintained_band_kind" "MaintainedBandKind" NOT NULL DEFAULT 'precision';

-- Keep what existing installs computed. Monthly indicators with no basis of their own were compared
-- with the same month last year (the old default by frequency). The default of the organisation is now
-- one setting, previous unless changed, so those indicators get that basis as their own.
UPDATE "indicator" SET "dot_basis" = 'same_last_year' WHERE "dot_basis" IS NULL AND "frequency" = 'monthly';

-- A band an organisation had set (a % of the value compared with) stays that band. 0 meant "exactly
-- equal" and becomes the new default, equal at the printed precision.
UPDATE "organisation" SET "maintained_band_kind" = 'relative' WHERE "maintained_band" > 0;

-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "comparator_area" TEXT,
ADD COLUMN     "comparator_group" TEXT;

-- CreateTable
CREATE TABLE "comparator_value" (
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "area_code" TEXT NOT NULL,
    "area_name" TEXT NOT NULL,
    "value" DECIMAL(20,6),
    "source" TEXT NOT NULL,
    "imported_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "comparator_value_pkey" PRIMARY KEY ("indicator_id","period_key","area_code")
);

-- CreateTable
CREATE TABLE "comparator_group" (
    "name" TEXT NOT NULL,
    "areas" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "comparator_group_pkey" PRIMARY KEY ("name")
);

-- AddForeignKey
ALTER TABLE "comparator_value" ADD CONSTRAINT "comparator_value_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

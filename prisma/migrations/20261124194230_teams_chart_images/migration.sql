-- CreateTable
CREATE TABLE "chart_image" (
    "id" TEXT NOT NULL,
    "png" BYTEA NOT NULL,
    "alt_text" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chart_image_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chart_image_created_at_idx" ON "chart_image"("created_at");

-- CreateTable
CREATE TABLE "teams_form" (
    "id" TEXT NOT NULL,
    "audience" TEXT,
    "form" JSONB NOT NULL,
    "values" JSONB NOT NULL,
    "pages" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "teams_form_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "teams_form_expires_at_idx" ON "teams_form"("expires_at");

-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "action_progress" TEXT NOT NULL DEFAULT 'plan',
ADD COLUMN     "action_word" TEXT NOT NULL DEFAULT 'action';

-- CreateTable
CREATE TABLE "action" (
    "id" SERIAL NOT NULL,
    "ref" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'action',
    "title" TEXT NOT NULL,
    "description" TEXT,
    "theme_id" INTEGER,
    "owner_id" INTEGER,
    "deputy_id" INTEGER,
    "start_date" DATE,
    "due_date" DATE NOT NULL,
    "original_due" DATE NOT NULL,
    "rephase_reason" TEXT,
    "is_key" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_update" (
    "id" SERIAL NOT NULL,
    "action_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "progress" TEXT NOT NULL,
    "percent_complete" INTEGER,
    "commentary" TEXT NOT NULL DEFAULT '',
    "author_id" INTEGER,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_update_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_indicator" (
    "action_id" INTEGER NOT NULL,
    "indicator_id" INTEGER NOT NULL,

    CONSTRAINT "action_indicator_pkey" PRIMARY KEY ("action_id","indicator_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "action_ref_key" ON "action"("ref");

-- CreateIndex
CREATE INDEX "action_theme_id_idx" ON "action"("theme_id");

-- CreateIndex
CREATE INDEX "action_owner_id_idx" ON "action"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "action_update_action_id_period_key_version_key" ON "action_update"("action_id", "period_key", "version");

-- CreateIndex
CREATE INDEX "action_indicator_indicator_id_idx" ON "action_indicator"("indicator_id");

-- AddForeignKey
ALTER TABLE "action" ADD CONSTRAINT "action_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action" ADD CONSTRAINT "action_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action" ADD CONSTRAINT "action_deputy_id_fkey" FOREIGN KEY ("deputy_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_update" ADD CONSTRAINT "action_update_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_update" ADD CONSTRAINT "action_update_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_indicator" ADD CONSTRAINT "action_indicator_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_indicator" ADD CONSTRAINT "action_indicator_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "risk_appetite" INTEGER,
ADD COLUMN     "risk_bands" JSONB,
ADD COLUMN     "risk_scale" INTEGER NOT NULL DEFAULT 5;

-- CreateTable
CREATE TABLE "risk" (
    "id" SERIAL NOT NULL,
    "ref" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "theme_id" INTEGER,
    "owner_id" INTEGER,
    "deputy_id" INTEGER,
    "controls" TEXT,
    "inherent_likelihood" INTEGER,
    "inherent_impact" INTEGER,
    "target_likelihood" INTEGER,
    "target_impact" INTEGER,
    "review_months" INTEGER NOT NULL DEFAULT 3,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "risk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_review" (
    "id" SERIAL NOT NULL,
    "risk_id" INTEGER NOT NULL,
    "reviewed_on" DATE NOT NULL,
    "likelihood" INTEGER NOT NULL,
    "impact" INTEGER NOT NULL,
    "commentary" TEXT NOT NULL DEFAULT '',
    "author_id" INTEGER,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_action" (
    "risk_id" INTEGER NOT NULL,
    "action_id" INTEGER NOT NULL,

    CONSTRAINT "risk_action_pkey" PRIMARY KEY ("risk_id","action_id")
);

-- CreateTable
CREATE TABLE "risk_indicator" (
    "risk_id" INTEGER NOT NULL,
    "indicator_id" INTEGER NOT NULL,

    CONSTRAINT "risk_indicator_pkey" PRIMARY KEY ("risk_id","indicator_id")
);

-- CreateTable
CREATE TABLE "risk_reminder" (
    "id" SERIAL NOT NULL,
    "risk_id" INTEGER NOT NULL,
    "due_on" DATE NOT NULL,
    "person_id" INTEGER,
    "level" INTEGER NOT NULL,
    "sent_on" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "risk_ref_key" ON "risk"("ref");

-- CreateIndex
CREATE INDEX "risk_theme_id_idx" ON "risk"("theme_id");

-- CreateIndex
CREATE INDEX "risk_owner_id_idx" ON "risk"("owner_id");

-- CreateIndex
CREATE INDEX "risk_review_risk_id_reviewed_on_idx" ON "risk_review"("risk_id", "reviewed_on");

-- CreateIndex
CREATE INDEX "risk_action_action_id_idx" ON "risk_action"("action_id");

-- CreateIndex
CREATE INDEX "risk_indicator_indicator_id_idx" ON "risk_indicator"("indicator_id");

-- CreateIndex
CREATE UNIQUE INDEX "risk_reminder_risk_id_due_on_sent_on_key" ON "risk_reminder"("risk_id", "due_on", "sent_on");

-- AddForeignKey
ALTER TABLE "risk" ADD CONSTRAINT "risk_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk" ADD CONSTRAINT "risk_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk" ADD CONSTRAINT "risk_deputy_id_fkey" FOREIGN KEY ("deputy_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_review" ADD CONSTRAINT "risk_review_risk_id_fkey" FOREIGN KEY ("risk_id") REFERENCES "risk"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_review" ADD CONSTRAINT "risk_review_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_action" ADD CONSTRAINT "risk_action_risk_id_fkey" FOREIGN KEY ("risk_id") REFERENCES "risk"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_action" ADD CONSTRAINT "risk_action_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_indicator" ADD CONSTRAINT "risk_indicator_risk_id_fkey" FOREIGN KEY ("risk_id") REFERENCES "risk"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_indicator" ADD CONSTRAINT "risk_indicator_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_reminder" ADD CONSTRAINT "risk_reminder_risk_id_fkey" FOREIGN KEY ("risk_id") REFERENCES "risk"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_reminder" ADD CONSTRAINT "risk_reminder_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

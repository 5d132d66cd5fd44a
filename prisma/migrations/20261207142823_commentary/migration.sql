-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "commentary_initials" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "commentary_sections" JSONB NOT NULL DEFAULT '["Performance highlights", "Areas for improvement", "Looking forward"]';

-- CreateTable
CREATE TABLE "commentary" (
    "id" SERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "theme_id" INTEGER,
    "period_key" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "sections" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "author_id" INTEGER,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commentary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commentary_reminder" (
    "id" SERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "theme_id" INTEGER,
    "period_key" TEXT NOT NULL,
    "person_id" INTEGER,
    "level" INTEGER NOT NULL,
    "sent_on" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commentary_reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "commentary_period_key_idx" ON "commentary"("period_key");

-- CreateIndex
CREATE UNIQUE INDEX "commentary_scope_period_key_version_key" ON "commentary"("scope", "period_key", "version");

-- CreateIndex
CREATE UNIQUE INDEX "commentary_reminder_scope_period_key_sent_on_key" ON "commentary_reminder"("scope", "period_key", "sent_on");

-- AddForeignKey
ALTER TABLE "commentary" ADD CONSTRAINT "commentary_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commentary" ADD CONSTRAINT "commentary_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commentary_reminder" ADD CONSTRAINT "commentary_reminder_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commentary_reminder" ADD CONSTRAINT "commentary_reminder_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

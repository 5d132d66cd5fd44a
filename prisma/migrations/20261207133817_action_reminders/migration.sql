-- CreateTable
CREATE TABLE "action_reminder" (
    "id" SERIAL NOT NULL,
    "action_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "person_id" INTEGER,
    "level" INTEGER NOT NULL,
    "sent_on" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "action_reminder_action_id_period_key_sent_on_key" ON "action_reminder"("action_id", "period_key", "sent_on");

-- AddForeignKey
ALTER TABLE "action_reminder" ADD CONSTRAINT "action_reminder_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_reminder" ADD CONSTRAINT "action_reminder_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

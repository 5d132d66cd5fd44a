-- CreateTable
CREATE TABLE "action_change" (
    "id" SERIAL NOT NULL,
    "action_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "proposed_due" DATE,
    "reason" TEXT NOT NULL,
    "period_key" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "requested_by_id" INTEGER,
    "requested_at" TIMESTAMP(3) NOT NULL,
    "decided_by_id" INTEGER,
    "decided_at" TIMESTAMP(3),

    CONSTRAINT "action_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "action_change_action_id_state_idx" ON "action_change"("action_id", "state");

-- AddForeignKey
ALTER TABLE "action_change" ADD CONSTRAINT "action_change_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_change" ADD CONSTRAINT "action_change_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_change" ADD CONSTRAINT "action_change_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

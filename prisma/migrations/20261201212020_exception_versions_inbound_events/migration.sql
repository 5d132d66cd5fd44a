-- AlterTable
ALTER TABLE "exception_report" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "outcome_unknown" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "inbound_event" (
    "id" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "inbound_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbound_event_received_at_idx" ON "inbound_event"("received_at");

-- CreateTable
CREATE TABLE "condition_change" (
    "id" SERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "transition_key" TEXT NOT NULL,
    "conditions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "detail" JSONB NOT NULL,
    "episode_id" INTEGER,
    "observed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "condition_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "condition_change_subject_subject_id_id_idx" ON "condition_change"("subject", "subject_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "condition_change_subject_subject_id_transition_key_key" ON "condition_change"("subject", "subject_id", "transition_key");

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('officer', 'director', 'admin');

-- CreateEnum
CREATE TYPE "Polarity" AS ENUM ('higher', 'lower', 'none');

-- CreateEnum
CREATE TYPE "Frequency" AS ENUM ('monthly', 'quarterly', 'annual', 'academic_year', 'calendar_year');

-- CreateEnum
CREATE TYPE "Aggregation" AS ENUM ('snapshot', 'cumulative', 'ytd', 'average');

-- CreateEnum
CREATE TYPE "ToleranceKind" AS ENUM ('relative', 'absolute');

-- CreateEnum
CREATE TYPE "DotBasis" AS ENUM ('previous', 'same_last_year');

-- CreateEnum
CREATE TYPE "RagStatus" AS ENUM ('green', 'amber', 'red', 'in_measurement', 'no_target');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('improving', 'maintained', 'declining');

-- CreateEnum
CREATE TYPE "ExceptionState" AS ENUM ('draft', 'submitted', 'returned', 'approved');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'teams', 'console');

-- CreateEnum
CREATE TYPE "OutboundState" AS ENUM ('pending', 'sent', 'dead');

-- CreateEnum
CREATE TYPE "OutboundAction" AS ENUM ('post', 'update', 'reply');

-- CreateTable
CREATE TABLE "organisation" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "name" TEXT NOT NULL,
    "fy_start_month" INTEGER NOT NULL DEFAULT 4,
    "tolerance_kind" "ToleranceKind" NOT NULL DEFAULT 'relative',
    "tolerance_value" DECIMAL(20,6) NOT NULL DEFAULT 10,
    "maintained_band" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "exception_questions" JSONB NOT NULL,
    "exception_for_amber" BOOLEAN NOT NULL DEFAULT true,
    "alert_on_declining" BOOLEAN NOT NULL DEFAULT true,
    "chase_cadence" JSONB NOT NULL,
    "escalate_after" INTEGER NOT NULL DEFAULT 3,
    "time_zone" TEXT NOT NULL DEFAULT 'Europe/London',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" SERIAL NOT NULL,
    "display_name" TEXT NOT NULL,
    "email" TEXT,
    "slack_user_id" TEXT,
    "teams_user_id" TEXT,
    "role" "Role" NOT NULL DEFAULT 'officer',
    "deputy_id" INTEGER,
    "absent_until" DATE,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "theme" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'theme',
    "director_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "theme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indicator" (
    "id" SERIAL NOT NULL,
    "ref" TEXT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" TEXT,
    "theme_id" INTEGER,
    "owner_id" INTEGER,
    "deputy_id" INTEGER,
    "unit" TEXT NOT NULL DEFAULT 'number',
    "polarity" "Polarity" NOT NULL,
    "frequency" "Frequency" NOT NULL,
    "reporting_lag_days" INTEGER NOT NULL DEFAULT 0,
    "aggregation" "Aggregation" NOT NULL DEFAULT 'snapshot',
    "tolerance_kind" "ToleranceKind",
    "tolerance_value" DECIMAL(20,6),
    "dot_basis" "DotBasis",
    "decimals" INTEGER NOT NULL DEFAULT 1,
    "is_key" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "baseline_value" DECIMAL(20,6),
    "baseline_period" TEXT,
    "baseline_text" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "target" (
    "id" SERIAL NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "value" DECIMAL(20,6),
    "amber_floor" DECIMAL(20,6),
    "text" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "observation" (
    "id" SERIAL NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "latest" BOOLEAN NOT NULL DEFAULT true,
    "value" DECIMAL(20,6) NOT NULL,
    "estimated" BOOLEAN NOT NULL DEFAULT false,
    "provisional" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "assessed_status" "RagStatus",
    "source" TEXT NOT NULL,
    "submitted_by_id" INTEGER,
    "submitted_by_label" TEXT,
    "submitted_at" TIMESTAMP(3) NOT NULL,
    "correction_reason" TEXT,

    CONSTRAINT "observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_change" (
    "id" SERIAL NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "transition_key" TEXT NOT NULL,
    "previous_status" "RagStatus",
    "status" "RagStatus" NOT NULL,
    "previous_direction" "Direction",
    "direction" "Direction",
    "value" DECIMAL(20,6),
    "explanation" TEXT NOT NULL,
    "observed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "status_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exception_report" (
    "id" SERIAL NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "answers" JSONB NOT NULL,
    "state" "ExceptionState" NOT NULL DEFAULT 'draft',
    "author_id" INTEGER,
    "reviewer_id" INTEGER,
    "review_comment" TEXT,
    "submitted_at" TIMESTAMP(3),
    "reviewed_at" TIMESTAMP(3),
    "chase_count" INTEGER NOT NULL DEFAULT 0,
    "last_chased_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "exception_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" SERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "channel" TEXT NOT NULL,
    "person_id" INTEGER,
    "purpose" TEXT NOT NULL,
    "action" "OutboundAction" NOT NULL DEFAULT 'post',
    "parent_id" INTEGER,
    "payload" JSONB NOT NULL,
    "state" "OutboundState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL,
    "last_error" TEXT,
    "message_id" TEXT,
    "posted_channel" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_subscription" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "channel_id" TEXT NOT NULL,
    "theme_id" INTEGER,
    "indicator_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_ref" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "key" TEXT NOT NULL,
    "person_id" INTEGER,
    "reference" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversation_ref_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "person_id" INTEGER NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "sent_on" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snooze" (
    "id" SERIAL NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "snooze_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "period_lock" (
    "period_key" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "closed_at" TIMESTAMP(3) NOT NULL,
    "closed_by_id" INTEGER,
    "note" TEXT,

    CONSTRAINT "period_lock_pkey" PRIMARY KEY ("period_key")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor_id" INTEGER,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_run" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "scheduled_for" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "summary" JSONB,
    "error" TEXT,

    CONSTRAINT "job_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_lease" (
    "job" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_lease_pkey" PRIMARY KEY ("job")
);

-- CreateIndex
CREATE UNIQUE INDEX "person_email_key" ON "person"("email");

-- CreateIndex
CREATE UNIQUE INDEX "person_slack_user_id_key" ON "person"("slack_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_teams_user_id_key" ON "person"("teams_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "theme_name_key" ON "theme"("name");

-- CreateIndex
CREATE UNIQUE INDEX "theme_slug_key" ON "theme"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "indicator_ref_key" ON "indicator"("ref");

-- CreateIndex
CREATE UNIQUE INDEX "indicator_slug_key" ON "indicator"("slug");

-- CreateIndex
CREATE INDEX "indicator_theme_id_idx" ON "indicator"("theme_id");

-- CreateIndex
CREATE INDEX "indicator_owner_id_idx" ON "indicator"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "target_indicator_id_period_key_key" ON "target"("indicator_id", "period_key");

-- CreateIndex
CREATE INDEX "observation_indicator_id_latest_period_start_idx" ON "observation"("indicator_id", "latest", "period_start" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "observation_indicator_id_period_key_version_key" ON "observation"("indicator_id", "period_key", "version");

-- CreateIndex
CREATE INDEX "status_change_observed_at_idx" ON "status_change"("observed_at");

-- CreateIndex
CREATE UNIQUE INDEX "status_change_indicator_id_transition_key_key" ON "status_change"("indicator_id", "transition_key");

-- CreateIndex
CREATE UNIQUE INDEX "exception_report_indicator_id_period_key_key" ON "exception_report"("indicator_id", "period_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_idempotency_key_key" ON "outbound_message"("idempotency_key");

-- CreateIndex
CREATE INDEX "outbound_message_state_next_attempt_at_idx" ON "outbound_message"("state", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "channel_subscription_platform_channel_id_theme_id_indicator_key" ON "channel_subscription"("platform", "channel_id", "theme_id", "indicator_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_ref_platform_key_key" ON "conversation_ref"("platform", "key");

-- CreateIndex
CREATE INDEX "reminder_person_id_sent_on_idx" ON "reminder"("person_id", "sent_on");

-- CreateIndex
CREATE UNIQUE INDEX "reminder_kind_indicator_id_period_key_sent_on_key" ON "reminder"("kind", "indicator_id", "period_key", "sent_on");

-- CreateIndex
CREATE INDEX "snooze_indicator_id_until_idx" ON "snooze"("indicator_id", "until");

-- CreateIndex
CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log"("entity", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE UNIQUE INDEX "job_run_job_scheduled_for_key" ON "job_run"("job", "scheduled_for");

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_deputy_id_fkey" FOREIGN KEY ("deputy_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "theme" ADD CONSTRAINT "theme_director_id_fkey" FOREIGN KEY ("director_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator" ADD CONSTRAINT "indicator_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator" ADD CONSTRAINT "indicator_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator" ADD CONSTRAINT "indicator_deputy_id_fkey" FOREIGN KEY ("deputy_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "target" ADD CONSTRAINT "target_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation" ADD CONSTRAINT "observation_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation" ADD CONSTRAINT "observation_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_change" ADD CONSTRAINT "status_change_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exception_report" ADD CONSTRAINT "exception_report_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exception_report" ADD CONSTRAINT "exception_report_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exception_report" ADD CONSTRAINT "exception_report_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "outbound_message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_subscription" ADD CONSTRAINT "channel_subscription_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "theme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_subscription" ADD CONSTRAINT "channel_subscription_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_ref" ADD CONSTRAINT "conversation_ref_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snooze" ADD CONSTRAINT "snooze_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snooze" ADD CONSTRAINT "snooze_by_id_fkey" FOREIGN KEY ("by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "period_lock" ADD CONSTRAINT "period_lock_closed_by_id_fkey" FOREIGN KEY ("closed_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

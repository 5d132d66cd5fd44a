-- CreateTable
CREATE TABLE "indicator_change" (
    "indicator_id" INTEGER NOT NULL,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "indicator_change_pkey" PRIMARY KEY ("indicator_id")
);

-- CreateTable
CREATE TABLE "evaluation_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "last_run_at" TIMESTAMP(3) NOT NULL,
    "last_full_at" TIMESTAMP(3) NOT NULL,
    "settings" TEXT NOT NULL,

    CONSTRAINT "evaluation_state_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "indicator_change" ADD CONSTRAINT "indicator_change_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Incremental evaluation. The database itself records which indicators changed, whatever wrote the
-- change (a submission, an import, COPY, SQL typed by hand): one row per indicator in
-- indicator_change, its seq renewed by each change, once per statement however many rows it wrote.
-- The function bodies are E-strings with \073 for each semicolon in them, because the PostgreSQL
-- migration path splits a script at every semicolon. A deleted indicator takes its row with it
-- (the cascade), and values deleted with their indicator mark nothing (the join).
CREATE FUNCTION kpi_values_changed() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO indicator_change (indicator_id) SELECT DISTINCT r.indicator_id FROM changed_rows r JOIN indicator i ON i.id = r.indicator_id ON CONFLICT (indicator_id) DO UPDATE SET seq = DEFAULT\073 RETURN NULL\073 END';

CREATE FUNCTION kpi_indicator_changed() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO indicator_change (indicator_id) SELECT r.id FROM changed_rows r ON CONFLICT (indicator_id) DO UPDATE SET seq = DEFAULT\073 RETURN NULL\073 END';

CREATE TRIGGER observation_inserted AFTER INSERT ON "observation" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed();
CREATE TRIGGER observation_updated AFTER UPDATE ON "observation" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed();
CREATE TRIGGER observation_deleted AFTER DELETE ON "observation" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed();
CREATE TRIGGER target_inserted AFTER INSERT ON "target" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed();
CREATE TRIGGER target_updated AFTER UPDATE ON "target" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed();
CREATE TRIGGER target_deleted AFTER DELETE ON "target" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed();
CREATE TRIGGER indicator_inserted AFTER INSERT ON "indicator" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_indicator_changed();
CREATE TRIGGER indicator_updated AFTER UPDATE ON "indicator" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_indicator_changed();

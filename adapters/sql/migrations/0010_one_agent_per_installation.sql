-- One agent per installation (kernel/publications/Publications.ts), held by the database too. The
-- service checks before it writes, so two creates of the same agent at the same moment could both
-- pass, and that agent then got every event of the installation twice.
--
-- A database that already holds such a pair keeps the oldest publication of the agent on the
-- installation and removes the newer copies first (their session bindings go with them, by their
-- foreign key): every event was going to all of them, so the agent loses nothing it had once.
-- The unique index covers (tenant_id, installation_id), so the index on those two goes.
-- Idempotent, as every migration here.
DELETE FROM publications
  WHERE EXISTS (
    SELECT 1 FROM publications AS older
    WHERE older.tenant_id = publications.tenant_id
      AND older.installation_id = publications.installation_id
      AND older.agent_id = publications.agent_id
      AND (older.created_at < publications.created_at OR (older.created_at = publications.created_at AND older.id < publications.id))
  );
CREATE UNIQUE INDEX IF NOT EXISTS publications_one_agent ON publications (tenant_id, installation_id, agent_id);
DROP INDEX IF EXISTS publications_by_installation;

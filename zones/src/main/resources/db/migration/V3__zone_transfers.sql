-- Who may transfer a stored zone (AXFR/IXFR out) and which secondaries hear of its changes (NOTIFY).
-- Portable SQL (H2 2.x and PostgreSQL). One row per setting, in the order given; the rows go with
-- their zone (ON DELETE CASCADE), so a zone created again under the same name starts refused.
CREATE TABLE zone_transfer_settings (
  zone_id BIGINT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  kind    VARCHAR(16) NOT NULL,
  seq     INTEGER NOT NULL,
  setting VARCHAR(1024) NOT NULL,
  PRIMARY KEY (zone_id, kind, seq)
);

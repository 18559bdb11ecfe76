-- Key rollovers: the propagation delay each rollover step waits on top of the TTLs (an hour, as
-- before, for the zones signed already), and the version of a zone's keys, new with each write of
-- them, by which a namud sharing the store sees a key change that left the zone's serial as it was.
-- Portable SQL (H2 2.x and PostgreSQL).
ALTER TABLE zone_signing ADD COLUMN propagation_delay_seconds BIGINT DEFAULT 3600 NOT NULL;
ALTER TABLE zone_signing ADD COLUMN keys_version BIGINT DEFAULT 0 NOT NULL;

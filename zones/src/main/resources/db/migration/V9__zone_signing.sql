-- Online signing of a stored zone: whether it is signed and how (NSEC or NSEC3, the ZSK's lifetime),
-- and its DNSSEC keys. Portable SQL (H2 2.x and PostgreSQL): key bytes are base64 text. The rows go
-- with their zone (ON DELETE CASCADE), so a zone created again under the same name starts unsigned.
CREATE TABLE zone_signing (
  zone_id              BIGINT NOT NULL PRIMARY KEY REFERENCES zones (id) ON DELETE CASCADE,
  nsec3                BOOLEAN NOT NULL,
  zsk_lifetime_seconds BIGINT NOT NULL
);

-- One row per key: role KSK or ZSK, DNSSEC algorithm number, state (DS_PENDING, PUBLISHED, ACTIVE,
-- RETIRED) and since when, the public key as the DNSKEY carries it, the private key as PKCS#8 DER.
CREATE TABLE zone_signing_keys (
  zone_id     BIGINT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  role        VARCHAR(8) NOT NULL,
  algorithm   INTEGER NOT NULL,
  state       VARCHAR(16) NOT NULL,
  state_since TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  public_key  VARCHAR(1024) NOT NULL,
  private_key VARCHAR(4000) NOT NULL,
  PRIMARY KEY (zone_id, seq)
);

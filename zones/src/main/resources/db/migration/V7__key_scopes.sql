-- What a TSIG key may change (an update policy, as BIND's update-policy and Knot's update-owner):
-- zones and types separated by spaces, the one name (relative to each zone, or absolute), and
-- whether the names below it count too. NULL zones, name or types: any.
ALTER TABLE tsig_keys ADD COLUMN scope_zones VARCHAR(4000);
ALTER TABLE tsig_keys ADD COLUMN scope_name VARCHAR(1024);
ALTER TABLE tsig_keys ADD COLUMN scope_subtree BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE tsig_keys ADD COLUMN scope_types VARCHAR(1024);


-- Named admin API tokens, each limited to a scope as a key is. Only the SHA-256 of a token is kept
-- (64 lower-case hex digits): the token is shown once, when it is made.
CREATE TABLE api_tokens (
  name          VARCHAR(64) NOT NULL PRIMARY KEY,
  sha256        VARCHAR(64) NOT NULL UNIQUE,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  scope_zones   VARCHAR(4000),
  scope_name    VARCHAR(1024),
  scope_subtree BOOLEAN DEFAULT FALSE NOT NULL,
  scope_types   VARCHAR(1024)
);

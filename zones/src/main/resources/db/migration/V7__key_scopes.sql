-- What a TSIG key may change (an update policy, as BIND's update-policy and Knot's update-owner):
-- zones and types separated by spaces, the one name (relative to each zone, or absolute), and
-- whether the names below it count too. NULL zones, name or types: any.
ALTER TABLE tsig_keys ADD COLUMN scope_zones VARCHAR(4000);
ALTER TABLE tsig_keys ADD COLUMN scope_name VARCHAR(1024);
ALTER TABLE tsig_keys ADD COLUMN scope_subtree BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE tsig_keys ADD COLUMN scope_types VARCHAR(1024);


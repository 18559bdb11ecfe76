-- Record data in presentation format can be much longer than its wire form, which RFC 1035 3.2.1
-- bounds at 65535 octets: TXT bytes written as \DDD take four characters each (about 262,000 for
-- the longest TXT), and a type bitmap (NSEC, WKS) names each type or port in words (up to about
-- 655,000). VARCHAR(65535) refused such valid records; 1,000,000 holds every record there can be.
-- SET DATA TYPE keeps NOT NULL, on H2 and PostgreSQL alike.
ALTER TABLE records ALTER COLUMN rdata SET DATA TYPE VARCHAR(1000000);
ALTER TABLE journal_records ALTER COLUMN rdata SET DATA TYPE VARCHAR(1000000);

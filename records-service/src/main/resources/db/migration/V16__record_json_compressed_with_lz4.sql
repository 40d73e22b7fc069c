-- Records, replaced versions and outbox envelopes over 2 kB are compressed when stored (TOAST). LZ4 compresses
-- several times faster than PostgreSQL's default pglz, which took 4% of the database's time in a Synthea load.
-- Only values written from now on use it; a server built without LZ4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE record ALTER COLUMN resource SET COMPRESSION lz4;
    ALTER TABLE record_version ALTER COLUMN resource SET COMPRESSION lz4;
    ALTER TABLE outbox_event ALTER COLUMN envelope SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'LZ4 is not available on this server: records stay compressed with pglz';
END $$;

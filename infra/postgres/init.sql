-- Run once by the postgres:15 image when its data volume is new (mounted at /docker-entrypoint-initdb.d).
--
-- Nothing here is required: `yiwang run --region CODE` creates its center's database `yiwang_{CODE}`
-- when it is missing and creates its tables (shared/store/db.py: ensure_database, migrate).
--
-- The database of the center in docker-compose.yml is created here all the same: its six service
-- containers start at the same moment, and six concurrent CREATE DATABASE of the same name would fail
-- all but one of them (they would restart and then succeed). Add a line per center you add to the
-- compose file if you want the same head start for it.
CREATE DATABASE yiwang_320612001;

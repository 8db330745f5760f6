-- The table through which Orleans' ADO.NET providers find their queries (QueryKey -> QueryText).
-- Written for this project to the providers' contract; idempotent, applied by every host at start.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

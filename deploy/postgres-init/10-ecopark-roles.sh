#!/bin/sh
# Run once by the postgres image, when its data volume is new: the database and the two roles
# ecopark runs with (docs/deploy.md) — `ecopark`, which owns the database and runs the
# migrations, and `ecopark_app`, which the server uses: not the owner, so it cannot drop or
# disable the audit log's triggers; the migrations give it its grants.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$ECOPARK_OWNER_PASSWORD" -v app_password="$ECOPARK_APP_PASSWORD" <<'SQL'
CREATE ROLE ecopark LOGIN PASSWORD :'owner_password';
CREATE ROLE ecopark_app LOGIN PASSWORD :'app_password';
CREATE DATABASE ecopark OWNER ecopark;
SQL

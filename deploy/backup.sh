#!/usr/bin/env bash
# Back up the disclosure database: one `pg_dump --format=custom` file a run, named
# by the time, in BACKUP_DIR; files older than BACKUP_KEEP_DAYS days are removed
# after a successful dump. Everything the application keeps is in the database
# (reports, their history, the files stored at each approval, job results), so this
# file and the secrets in /etc/disclosure are all a restore needs.
#
#   DATABASE_URL (or DATABASE_URL_FILE)  postgres://user[:password]@host:port/name
#   BACKUP_DIR        default /var/backups/disclosure
#   BACKUP_KEEP_DAYS  default 30
#
# Restore (into an empty database, or over the existing one with --clean):
#   pg_restore --clean --if-exists --no-owner --exit-on-error -d "$DATABASE_URL" FILE.dump
# then `scripts/serve-production` (its migrate brings an older dump up to date).
set -euo pipefail
umask 077

url="${DATABASE_URL:-}"
if [ -z "$url" ] && [ -n "${DATABASE_URL_FILE:-}" ]; then
  url="$(tr -d '\n' < "$DATABASE_URL_FILE")"
fi
case "$url" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL (or DATABASE_URL_FILE) must name the PostgreSQL database." >&2; exit 2 ;;
esac
dir="${BACKUP_DIR:-/var/backups/disclosure}"
keep="${BACKUP_KEEP_DAYS:-30}"
mkdir -p "$dir"

name="disclosure-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$dir/.$name.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --compress=6 --no-owner --file="$partial" --dbname="$url"
pg_restore --list "$partial" > /dev/null  # the archive is readable
mv "$partial" "$dir/$name"
echo "backup.sh: wrote $dir/$name ($(du -h "$dir/$name" | cut -f1))"

find "$dir" -maxdepth 1 -name 'disclosure-*.dump' -type f -mtime +"$keep" -print -delete

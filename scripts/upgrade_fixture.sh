#!/usr/bin/env bash
# Builds tests/security/fixtures/upgrade-<commit>.tar.gz: a backup made by an earlier version of Yigang
# (`yigang backup` of its demo town), for the upgrade test (tests/security/test_upgrade.py).
#
#   scripts/upgrade_fixture.sh [COMMIT]     # default 8fb5440: before hazards, before org 0006
#
# The commit's tree is exported with `git archive` (no checkout, no worktree) and run with this checkout's
# .venv; the demo town is loaded, sessions and login logs emptied (no one's session in the repository), and
# the old version's own backup command writes the backup, which is packed as it is (manifest checksums intact).
set -euo pipefail
commit=${1:-8fb5440}
root=$(cd "$(dirname "$0")/.." && pwd)
py=$root/.venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/var" "$work/backups"
git -C "$root" archive "$commit" | tar -x -C "$work/src"
export PYTHONPATH=$work/src YIGANG_VAR_DIR=$work/var DEBUG=1 DATABASE_URL=sqlite:///$work/var/yigang.sqlite3
cd "$work/src"
"$py" -m yigang migrate --noinput >/dev/null
"$py" -m yigang demo >/dev/null
"$py" - "$work/var/yigang.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for table in ("django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"):
    db.execute(f"DELETE FROM {table}")
db.commit()
db.execute("VACUUM")
db.close()
PY
"$py" -m yigang backup --dir "$work/backups" >/dev/null
out=$root/tests/security/fixtures/upgrade-$commit.tar.gz
tar -C "$work/backups" -czf "$out" --transform "s|^yigang-backup-[0-9-]*|backup|" "$(ls "$work/backups")"
echo "$out: $(du -h "$out" | cut -f1)"

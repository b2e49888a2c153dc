#!/usr/bin/env bash
# Foreground part of `make run`: seed demo data when the database is empty, then web + worker + beat.
# Ctrl-C stops these three processes; `make stop` stops the services as well.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export FP_DEMO="${FP_DEMO:-1}"
flask=(.venv/bin/flask --app app)
# The index and its alias, before anything is written (writes to a missing alias are refused, not auto-created).
"${flask[@]}" index create
# A new mapping version (mappings/demandes-vN.json) rebuilds the index before the workers write to it.
"${flask[@]}" index upgrade
"${flask[@]}" demo initialiser
# The index catches up with the database if it was created after the data (a no-op, in seconds, when in sync).
"${flask[@]}" index reconcile --fix | tail -n 1 || echo "Réconciliation incomplète : voir « flask --app app index status »."
port="${WEB_PORT:-8000}"
cat <<MSG

  Service prêt sur http://127.0.0.1:$port/   (santé : http://127.0.0.1:$port/readyz)
  Documentation de l'API : http://127.0.0.1:$port/api/v1/openapi.json
  Connexion : un des comptes de démonstration ci-dessus, mot de passe DEMO_PASSWORD du fichier .env
              (grep DEMO_PASSWORD .env) ; autres comptes : flask --app app utilisateurs creer
  Ctrl-C arrête l'application ; « make stop » arrête aussi PostgreSQL, Redis et Elasticsearch.

MSG
exec .venv/bin/honcho start -f Procfile

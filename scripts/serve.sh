#!/usr/bin/env bash
# Several app instances and nginx in front of them, on one machine, against PostgreSQL.
#
#   DATABASE_URL=postgresql+psycopg://user@host/db ./scripts/serve.sh --instances 2
#   ./scripts/serve.sh --instances 3 --port 8080 --first-port 8601
#   ./scripts/serve.sh --tls --cert site.pem --key site.key   # HTTPS as in production (deploy/nginx)
#   ./scripts/serve.sh --tls                                  # HTTPS with a self-signed certificate
#
# The instances listen on 127.0.0.1 (first-port, first-port+1, …) and share one database and one
# server.cookieSecret; nginx (deploy/nginx/gospubliki.conf, written here with these instances)
# listens on --port and keeps each browser on one instance. Ctrl+C stops everything. Logs and the
# generated nginx configuration are in the folder printed at start.
set -euo pipefail
cd "$(dirname "$0")/.."

instances=2
port=8080
first_port=8601
tls=0
cert=""
key=""
while (($#)); do
  case "$1" in
    --instances) instances="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --first-port) first_port="$2"; shift 2 ;;
    --tls) tls=1; shift ;;
    --cert) cert="$2"; shift 2 ;;
    --key) key="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "ошибка: неизвестный аргумент «$1» (--instances N, --port P, --first-port P, --tls, --cert F, --key F)" >&2; exit 1 ;;
  esac
done
[[ "$instances" =~ ^[1-9][0-9]?$ ]] || { echo "ошибка: --instances — число от 1 до 99, а не «$instances»" >&2; exit 1; }
if [[ "${DATABASE_URL:-}" != postgresql* ]]; then
  echo "ошибка: несколько экземпляров работают с общей базой PostgreSQL — задайте DATABASE_URL=postgresql+psycopg://…" >&2
  exit 2
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$nginx_bin" ]] || { echo "ошибка: нет nginx (apt-get install nginx)" >&2; exit 2; }

venv="${VENV:-.venv}"
if [[ ! -x "$venv/bin/streamlit" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "is ignored" || true
fi

run_dir="$(mktemp -d /tmp/gospubliki-serve.XXXXXX)"  # 0700: logs and keys are nobody else's
mkdir -p "$run_dir/temp"
echo "Журналы экземпляров, прогрева и nginx: $run_dir"
if [[ "$(id -u)" == 0 ]]; then
  # nginx's workers run as nobody when started as root: they reach (not list) the folder and own
  # the one they write request bodies into — nobody else can read or write there.
  chmod 711 "$run_dir"
  chown nobody:nogroup "$run_dir/temp"
fi
chmod 700 "$run_dir/temp"
if ((tls)) && [[ -z "$cert" ]]; then
  cert="$run_dir/tls.crt"
  key="$run_dir/tls.key"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$key" -out "$cert" 2> /dev/null
fi
# One secret for all instances: the XSRF cookie one instance set must be valid on the others.
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))')}"

pids=()
stop() {
  trap - EXIT INT TERM
  [[ -f "$run_dir/nginx.pid" ]] && kill "$(cat "$run_dir/nginx.pid")" 2> /dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
}
trap stop EXIT INT TERM

# Migrate once, before the instances start (each would otherwise wait for the others' lock).
"$venv/bin/python" -m data_access init > "$run_dir/init.log" 2>&1 || { cat "$run_dir/init.log" >&2; exit 2; }

servers=""
names=""
for ((i = 0; i < instances; i++)); do
  instance_port=$((first_port + i))
  "$venv/bin/streamlit" run app.py --server.port "$instance_port" --server.address 127.0.0.1 \
    --server.headless true --server.fileWatcherType none > "$run_dir/instance-$instance_port.log" 2>&1 &
  pids+=($!)
  servers+="    server 127.0.0.1:$instance_port max_fails=2 fail_timeout=10s;\n"
  names+="    127.0.0.1:$instance_port instance-$((i + 1));\n"
done

for ((i = 0; i < instances; i++)); do
  instance_port=$((first_port + i))
  for _ in $(seq 1 180); do
    if ! kill -0 "${pids[$i]}" 2> /dev/null; then
      { echo "ошибка: экземпляр на порту $instance_port остановился при запуске:"; tail -n 20 "$run_dir/instance-$instance_port.log"; } >&2
      exit 2
    fi
    if "$venv/bin/python" - "$instance_port" <<'PY' 2> /dev/null; then break; fi
import sys, urllib.request
sys.exit(0 if urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=2).read() == b"ok" else 1)
PY
    sleep 0.5
  done
done

# Open every page once on each instance, so the first visitor does not wait for the shared reads.
warmers=()
for ((i = 0; i < instances; i++)); do
  "$venv/bin/python" scripts/warm.py "http://127.0.0.1:$((first_port + i))" > "$run_dir/warm-$((first_port + i)).log" 2>&1 &
  warmers+=($!)
done
for pid in "${warmers[@]}"; do wait "$pid" || echo "прогрев экземпляра не удался: см. $run_dir/warm-*.log" >&2; done

# The site file with these instances and this port; the rest of it is deploy/nginx/gospubliki.conf
# (without its port-80 redirect; without TLS unless --tls).
awk -v servers="$servers" -v names="$names" -v port="$port" -v tls="$tls" -v cert="$cert" -v key="$key" '
  /^# http-redirect:/ { redirect = 1; next }
  redirect { if (/^# \/http-redirect/) redirect = 0; next }
  /# instances:/ { print; printf "%s", servers; skip = 1; next }
  /# instance names:/ { print; printf "%s", names; skip = 1; next }
  skip && /^ *(server )?127\.0\.0\.1:/ { next }
  { skip = 0 }
  /# listen:/ { print "    listen 127.0.0.1:" port (tls ? " ssl" : "") ";"; next }
  /# certificate:/ { if (tls) print "    ssl_certificate " cert ";"; next }
  /# certificate key:/ { if (tls) print "    ssl_certificate_key " key ";"; next }
  !tls && (/# tls only/ || /^ *ssl_/) { next }
  !tls { gsub(/; Secure/, "") }
  { print }
' deploy/nginx/gospubliki.conf > "$run_dir/gospubliki.conf"
user_line=""
[[ "$(id -u)" == 0 ]] && user_line="user nobody nogroup;"
cat > "$run_dir/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $run_dir/nginx.pid;
error_log $run_dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $run_dir/nginx-access.log;
    client_body_temp_path $run_dir/temp/body;
    proxy_temp_path $run_dir/temp/proxy;
    fastcgi_temp_path $run_dir/temp/fastcgi;
    uwsgi_temp_path $run_dir/temp/uwsgi;
    scgi_temp_path $run_dir/temp/scgi;
    include $run_dir/gospubliki.conf;
}
EOF
"$nginx_bin" -t -q -c "$run_dir/nginx.conf" -p "$run_dir" -e "$run_dir/nginx-error.log"
"$nginx_bin" -c "$run_dir/nginx.conf" -p "$run_dir" -e "$run_dir/nginx-error.log"
scheme=http
((tls)) && scheme=https
echo "Готово: $scheme://127.0.0.1:$port — экземпляров $instances (порты $first_port…$((first_port + instances - 1))), журналы и настройки nginx: $run_dir"
wait "${pids[@]}"

#!/usr/bin/env bash
# A ClickHouse cluster on loopback for tests and benchmarks: N shards (default 2), each its own clickhouse-server
# process with its own ports, folders and config, and a remote_servers section naming every shard.
#
#   eng/clickhouse-cluster.sh start [DIR]   installs clickhouse-server when missing, starts the shards, waits until
#                                           each answers, and writes DIR/env (MODELMETER_TEST_CLICKHOUSE=URL)
#   eng/clickhouse-cluster.sh stop [DIR]    stops the shards it started (by the pids it recorded) and removes DIR
#   eng/clickhouse-cluster.sh url [DIR]     prints the store URL (clickhouse://127.0.0.1:PORT/DB?cluster=NAME)
#   eng/clickhouse-cluster.sh kill-shard I [DIR]   kills shard I (for the shard-failure test)
#
# Environment: CLICKHOUSE_SHARDS (2), CLICKHOUSE_CLUSTER (modelmeter_test), CLICKHOUSE_PORT_BASE (first port tried;
# the first free block of ports at or after it is used, so two runs on one machine do not collide).
# The user `meter` has the password in DIR/password, to test password_env; `default` has none.
set -euo pipefail

command=${1:-}
dir=${2:-${CLICKHOUSE_CLUSTER_DIR:-/tmp/modelmeter-clickhouse}}
shards=${CLICKHOUSE_SHARDS:-2}
cluster=${CLICKHOUSE_CLUSTER:-modelmeter_test}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_port() { echo $(( $(cat "$dir/port_base") + 10 * ($1 - 1) )); }
tcp_port() { echo $(( $(http_port "$1") + 1 )); }
interserver_port() { echo $(( $(http_port "$1") + 2 )); }

install_if_missing() {
  if ! command -v clickhouse-server >/dev/null 2>&1; then
    echo "clickhouse-cluster: installing clickhouse-server clickhouse-client with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y clickhouse-server clickhouse-client >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && apt-get install -y clickhouse-server clickhouse-client >/dev/null; }
  fi
}

choose_ports() {
  local base=${CLICKHOUSE_PORT_BASE:-28100}
  for _ in $(seq 1 50); do
    local ok=1
    for i in $(seq 1 "$shards"); do
      for offset in 0 1 2; do
        port_free $(( base + 10 * (i - 1) + offset )) || ok=0
      done
    done
    if [ "$ok" = 1 ]; then
      echo "$base" > "$dir/port_base"
      return 0
    fi
    base=$(( base + 10 * shards + 10 ))
  done
  echo "clickhouse-cluster: no free block of ports found" >&2
  return 1
}

write_configs() {
  local password
  password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo -n "$password" > "$dir/password"
  cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default>
    <meter><password>$password</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></meter>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  local remote="<remote_servers><$cluster>"
  for i in $(seq 1 "$shards"); do
    remote+="<shard><replica><host>127.0.0.1</host><port>$(tcp_port "$i")</port></replica></shard>"
  done
  remote+="</$cluster></remote_servers>"
  for i in $(seq 1 "$shards"); do
    local s="$dir/s$i"
    mkdir -p "$s/data" "$s/tmp" "$s/log" "$s/format_schemas"
    cat > "$s/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$s/log/server.log</log><errorlog>$s/log/err.log</errorlog><size>10M</size><count>2</count></logger>
  <http_port>$(http_port "$i")</http_port>
  <tcp_port>$(tcp_port "$i")</tcp_port>
  <interserver_http_port>$(interserver_port "$i")</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$s/data/</path>
  <tmp_path>$s/tmp/</tmp_path>
  <format_schema_path>$s/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  $remote
</yandex>
XML
  done
}

wait_ready() {
  local port=$1 pid=$2
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$port/ping" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "clickhouse-cluster: the server on port $port exited; its log:" >&2
      tail -20 "$dir"/s*/log/err.log >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "clickhouse-cluster: the server on port $port did not answer within 30 s" >&2
  return 1
}

# The shards listen on their own ports on one host, so the URL names each shard's HTTP address (on separate hosts with
# one port, ModelMeter derives them from remote_servers and shards= is not needed).
url() {
  local shards_list=""
  for i in $(seq 1 "$shards"); do shards_list+="${shards_list:+,}127.0.0.1:$(http_port "$i")"; done
  echo "clickhouse://127.0.0.1:$(http_port 1)/modelmeter?cluster=$cluster&shards=$shards_list"
}

stop() {
  shopt -s nullglob
  for pidfile in "$dir"/s*/pid; do
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

case "$command" in
  start)
    install_if_missing
    if [ -d "$dir" ]; then stop; rm -rf "$dir"; fi
    mkdir -p "$dir"
    choose_ports
    write_configs
    for i in $(seq 1 "$shards"); do
      setsid clickhouse-server --config-file="$dir/s$i/config.xml" > "$dir/s$i/log/stdout.log" 2>&1 < /dev/null &
      echo $! > "$dir/s$i/pid"
    done
    for i in $(seq 1 "$shards"); do
      wait_ready "$(http_port "$i")" "$(cat "$dir/s$i/pid")"
    done
    {
      echo "MODELMETER_TEST_CLICKHOUSE=$(url)"
      echo "MODELMETER_TEST_CLICKHOUSE_PASSWORD=$(cat "$dir/password")"
      for i in $(seq 1 "$shards"); do echo "MODELMETER_TEST_CLICKHOUSE_SHARD$i=http://127.0.0.1:$(http_port "$i")"; done
    } > "$dir/env"
    echo "clickhouse-cluster: $shards shards of $(clickhouse-server --version 2>/dev/null | head -1 || echo clickhouse) up; $(url)" >&2
    ;;
  stop)
    stop
    rm -rf "$dir"
    ;;
  url)
    url
    ;;
  kill-shard)
    i=${2:?shard number}
    dir=${3:-${CLICKHOUSE_CLUSTER_DIR:-/tmp/modelmeter-clickhouse}}
    kill -9 "$(cat "$dir/s$i/pid")"
    ;;
  *)
    echo "usage: $0 start|stop|url [DIR] | kill-shard I [DIR]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Starts a complete gateway on this machine (silo + edge in one process, embedded SQLite).
# The first time it runs `init` for the id (default: "default"); then `run`. Ctrl-C stops it.
# Extra arguments go to `run`, e.g. --mix-port 1790.
set -euo pipefail
cd "$(dirname "$0")/.."
id="${NYM_GATEWAY_ID:-default}"
config="${HOME}/.nym/gateways/${id}/config/config.toml"

dotnet build Cli/Cli.csproj -c Release -v quiet -nologo
gateway=(dotnet Cli/bin/Release/net10.0/nym-gateway.dll)
if [ ! -f "$config" ]; then
  "${gateway[@]}" init --id "$id" --mix-host 127.0.0.1 --clients-host 127.0.0.1 --validator ""
fi
exec "${gateway[@]}" run --id "$id" "$@"

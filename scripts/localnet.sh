#!/usr/bin/env bash
# Starts a whole mixnet on loopback around this gateway: the gateway (one `run` process, or with
# --cluster a silo and 2 edges on the PostgreSQL of scripts/postgres.sh), 3 mix nodes and two
# clients, alice and bob; alice's message reaches bob and its SURB-ACK comes back. Then each
# line typed goes from alice to bob. Ctrl-C stops everything. Arguments go to `nym-localnet up`.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Tools/NymLocalnet/NymLocalnet.csproj -c Release -v quiet -nologo
exec dotnet Tools/NymLocalnet/bin/Release/net10.0/nym-localnet.dll up "$@"

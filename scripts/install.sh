#!/usr/bin/env bash
# Installs the nym-gateway CLI: publishes it (dotnet publish -c Release; framework-dependent, so the
# machine needs the .NET 10 runtime) and puts `nym-gateway` on PATH. Idempotent; re-run to upgrade
# (running hosts keep the old files until they are restarted).
#   as root:    /opt/nym-gateway, /usr/local/bin/nym-gateway, and for the systemd units in
#               /etc/systemd/system a system user nym-gateway (home /var/lib/nym-gateway) and
#               /etc/nym-gateway for their environment files
#   as a user:  ~/.local/share/nym-gateway and ~/.local/bin/nym-gateway, no units
#   --no-units  (as root) skips the units, their user and /etc/nym-gateway
# NYM_INSTALL_DIR and NYM_BIN_DIR override the two directories.
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "install.sh: $*" >&2; exit 1; }
units=yes
for arg in "$@"; do
  case "$arg" in
    --no-units) units=no ;;
    *) die "unknown argument '$arg' (only --no-units)" ;;
  esac
done
if [ "$(id -u)" = 0 ]; then
  dir="${NYM_INSTALL_DIR:-/opt/nym-gateway}"
  bin="${NYM_BIN_DIR:-/usr/local/bin}"
else
  dir="${NYM_INSTALL_DIR:-$HOME/.local/share/nym-gateway}"
  bin="${NYM_BIN_DIR:-$HOME/.local/bin}"
  units=no
fi
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is needed to build nym-gateway"

# Publish next to the target and swap directories, so a running host never sees half-written files.
echo "Publishing nym-gateway into $dir"
rm -rf "$dir.new"
dotnet publish Cli/Cli.csproj -c Release --use-current-runtime --self-contained false -o "$dir.new" -v quiet -nologo ||
  die "dotnet publish failed (see above)"
"$dir.new/nym-gateway" --help >/dev/null 2>&1 ||
  die "the published $dir.new/nym-gateway does not run; if .NET is not in /usr/share/dotnet, set DOTNET_ROOT or write its location to /etc/dotnet/install_location"
if [ -d "$dir" ]; then
  rm -rf "$dir.old"
  mv "$dir" "$dir.old"
fi
mv "$dir.new" "$dir"
rm -rf "$dir.old"
mkdir -p "$bin"
ln -sfn "$dir/nym-gateway" "$bin/nym-gateway"
echo "Installed $bin/nym-gateway -> $dir/nym-gateway"
case ":$PATH:" in *":$bin:"*) ;; *) echo "Note: $bin is not on your PATH" ;; esac

if [ "$units" = yes ]; then
  id nym-gateway >/dev/null 2>&1 ||
    useradd --system --home-dir /var/lib/nym-gateway --shell /usr/sbin/nologin nym-gateway
  # Its home holds the gateways' keys.
  install -d -m 750 -o nym-gateway -g nym-gateway /var/lib/nym-gateway
  install -d -m 700 /etc/nym-gateway
  for unit in deploy/systemd/*.service; do
    # The units name /opt/nym-gateway; another install directory is written into the copies.
    sed "s|/opt/nym-gateway/|$dir/|g" "$unit" >"/etc/systemd/system/$(basename "$unit")"
  done
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
  echo "Installed the units nym-gateway@, nym-gateway-silo@ and nym-gateway-edge@ in /etc/systemd/system"
  echo "  e.g. runuser -u nym-gateway -- nym-gateway init --id gw ...; systemctl enable --now nym-gateway@gw"
fi

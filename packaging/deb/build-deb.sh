#!/usr/bin/env bash
# Builds the Debian package of the hub: build-deb.sh JAR VERSION OUTDIR -> OUTDIR/sseflow_<version>_all.deb.
# Run by the nio-server build's package phase wherever dpkg-deb exists (Maven profile "deb"); DebPackageIT installs,
# runs, stops and purges it. Contents: the hub jar, /usr/bin/sseflow-hub, a systemd unit, /etc/sseflow/sseflow.properties
# (read with --config) and /etc/default/sseflow (the service's environment: JAVA_OPTS and SSEFLOW_* settings).
set -euo pipefail
jar=$1
version=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
deb_version=${version/-SNAPSHOT/~snapshot}
root=$(mktemp -d)
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT

install -D -m 0644 "$jar" "$root/usr/share/sseflow/sseflow-server.jar"
install -D -m 0755 "$here/sseflow-hub" "$root/usr/bin/sseflow-hub"
install -D -m 0644 "$here/sseflow.service" "$root/lib/systemd/system/sseflow.service"
install -D -m 0644 "$here/sseflow.properties" "$root/etc/sseflow/sseflow.properties"
install -D -m 0644 "$here/default" "$root/etc/default/sseflow"
install -D -m 0644 "$repo/LICENSE" "$root/usr/share/doc/sseflow/copyright"
mkdir -p "$root/DEBIAN"
sed "s/@VERSION@/$deb_version/; s/@SIZE@/$(du -sk "$root" | cut -f1)/" "$here/control" > "$root/DEBIAN/control"
printf '/etc/sseflow/sseflow.properties\n/etc/default/sseflow\n' > "$root/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
mkdir -p "$out"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/sseflow_${deb_version}_all.deb" >/dev/null
echo "built $out/sseflow_${deb_version}_all.deb"

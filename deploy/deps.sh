#!/bin/sh
# deps.sh - install every Debian package that Duplex's build and tests need.
#
# Idempotent: when every package is already installed it does nothing.
# Otherwise it runs apt-get update, then installs what is missing with a
# policy-rc.d that forbids service starts (exit 101), so that corosync,
# pacemaker, postfix or dovecot never start on the build host. The
# policy-rc.d is removed afterwards if this script created it.
#
# Optional sets, named as arguments: `deps.sh bench` also installs what
# `make bench` needs (Dovecot to compare against, and gnuplot); the
# policy-rc.d keeps Dovecot from starting as a system service.
set -eu

PKGS="
build-essential pkg-config make gcc clang libclang-rt-14-dev
liblmdb-dev lmdb-utils libssl-dev openssl libcmocka-dev libcrypt-dev zlib1g-dev
python3 curl ca-certificates netcat-openbsd procps psmisc
mutt isync offlineimap3 getmail6 fetchmail swaks libnet-ssleay-perl libio-socket-ssl-perl postfix
python3-aiosmtpd
dovecot-core dovecot-sieve sieve-connect
corosync pacemaker pacemaker-dev pacemaker-cli-utils libcpg-dev
drbd-utils resource-agents fence-agents crmsh pcs libxml2-utils
qemu-system-x86 openipmi ipmitool busybox-static cpio kmod iproute2
gnuplot-nox systemd
dpkg-dev lintian shellcheck adduser
"

for set in "$@"; do
	case "$set" in
	bench) PKGS="$PKGS dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd gnuplot-nox" ;;
	*) echo "deps.sh: unknown package set: $set" >&2; exit 2 ;;
	esac
done

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing; run as root" >&2
	exit 1
fi

policy=/usr/sbin/policy-rc.d
added_policy=no
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	added_policy=yes
fi
cleanup() { [ "$added_policy" = yes ] && rm -f "$policy"; return 0; }
trap cleanup EXIT INT TERM

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing

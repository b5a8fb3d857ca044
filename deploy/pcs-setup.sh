#!/bin/sh
# pcs-setup.sh - build the Duplex CIB with pcs; the same CIB as crm-setup.crm.
#
# usage: pcs-setup.sh ENV_FILE [CIB_FILE]
#
# ENV_FILE is the site's cluster.env (see cluster.env.example). With
# CIB_FILE, every command edits that file (pcs -f), as the offline test
# does. Without it, the live CIB is copied to a scratch file, edited there
# and pushed back in one replace (pcs cluster cib-push --config), so the
# cluster never sees a half-built configuration.
#
# Shape: a promotable DRBD clone; a group of Filesystem, IPaddr2 and
# ocf:duplex:mailstore that runs only where DRBD is Promoted, and starts
# only after the promotion; one fence_ipmilan device per node, each kept
# off the node it kills. The reasons for each setting are in
# crm-setup.crm; tests/deploy/test_cib checks the two give the same CIB.
# --no-default-ops: only the operations written here, as in crmsh.
# Run it once, on a cluster that does not have these resources yet.
set -eu

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 ENV_FILE [CIB_FILE]" >&2; exit 2; }
env_file=$1
case $env_file in */*) ;; *) env_file=./$env_file ;; esac
# shellcheck disable=SC1090
. "$env_file"

if [ $# -eq 2 ]; then
	cib=$2
	live=no
else
	cib=$(mktemp /tmp/duplex-cib.XXXXXX)
	trap 'rm -f "$cib"' EXIT
	pcs cluster cib "$cib"
	live=yes
fi

p() { pcs -f "$cib" "$@"; }

# PRIORITY_FENCING_DELAY and the *_TIMEOUT variables: see crm-setup.crm.
p property set stonith-enabled=true priority-fencing-delay="$PRIORITY_FENCING_DELAY"
p resource defaults update resource-stickiness=200 migration-threshold=3

for n in 1 2; do
	eval "node=\$NODE$n ipmi=\$NODE${n}_IPMI_ADDR port=\$NODE${n}_IPMI_PORT"
	# shellcheck disable=SC2086 # IPMI_OPTIONS is a list of name=value words
	p stonith create "fence_$node" fence_ipmilan \
		ip="$ipmi" ipport="$port" username="$IPMI_USER" password="$IPMI_PASSWORD" \
		lanplus=1 pcmk_host_list="$node" ${IPMI_OPTIONS:-} \
		op start timeout="$FENCE_OP_TIMEOUT" interval=0s \
		   monitor interval="$FENCE_MONITOR_INTERVAL" timeout="$FENCE_OP_TIMEOUT"
	p constraint location "fence_$node" avoids "$node"
done

p resource create drbd_duplex ocf:linbit:drbd drbd_resource="$DRBD_RESOURCE" --no-default-ops \
	op start timeout=240s interval=0s \
	   stop timeout=100s interval=0s \
	   promote timeout=90s interval=0s \
	   demote timeout=90s interval=0s \
	   notify timeout=90s interval=0s \
	   monitor interval=29s timeout="$DRBD_MONITOR_TIMEOUT" role=Promoted \
	   monitor interval=31s timeout="$DRBD_MONITOR_TIMEOUT" role=Unpromoted \
	promotable promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true

p resource create fs_duplex ocf:heartbeat:Filesystem --no-default-ops --group g_duplex \
	device="$DRBD_DEVICE" directory="$MOUNT_DIR" fstype="$FS_TYPE" options=noatime \
	op start timeout=60s interval=0s \
	   stop timeout=60s interval=0s on-fail=fence \
	   monitor interval=20s timeout="$FS_MONITOR_TIMEOUT" on-fail=restart
p resource create vip_duplex ocf:heartbeat:IPaddr2 --no-default-ops --group g_duplex \
	ip="$VIP" cidr_netmask="$VIP_CIDR" nic="$VIP_NIC" \
	op start timeout=20s interval=0s \
	   stop timeout=20s interval=0s \
	   monitor interval=10s timeout="$VIP_MONITOR_TIMEOUT" on-fail=restart
p resource create mailstore ocf:duplex:mailstore --no-default-ops --group g_duplex \
	config="$DUPLEX_CONF" check_timeout=30 \
	op start timeout=60s interval=0s \
	   stop timeout=60s interval=0s on-fail=fence \
	   monitor interval=10s timeout=40s on-fail=restart OCF_CHECK_LEVEL=0 \
	   monitor interval=30s timeout=70s on-fail=restart OCF_CHECK_LEVEL=10
p resource meta g_duplex priority=10

p constraint colocation add g_duplex with Promoted drbd_duplex-clone INFINITY
p constraint order promote drbd_duplex-clone "then" start g_duplex
# duplex-hb's health score (see crm-setup.crm).
p constraint location g_duplex rule id=l_duplex_health-rule score=-INFINITY duplex-health lt number 50

if [ "$live" = yes ]; then
	pcs cluster cib-push "$cib" --config
fi

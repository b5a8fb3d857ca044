#!/bin/sh
# demo.sh - a single-node Duplex store on loopback, for trying it out.
#
# Everything lives under ./demo in the checkout: the config, the LMDB data,
# a self-signed certificate, the control socket. Ports are unprivileged and
# bound to 127.0.0.1 only. It creates the domain demo.test and the user
# demo@demo.test with a fresh password, delivers a welcome message, prints
# how to look at it, and runs duplexd in the foreground until Ctrl-C.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
demo=$top/demo
conf=$demo/duplex.conf
ctl="$BUILD/duplexctl -c $conf"

mkdir -p "$demo/data" "$demo/tls"
if [ -f "$demo/duplexd.pid" ] && kill -0 "$(cat "$demo/duplexd.pid")" 2>/dev/null; then
	kill "$(cat "$demo/duplexd.pid")"
	sleep 1
fi
if [ ! -f "$demo/tls/cert.pem" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
		-keyout "$demo/tls/key.pem" -out "$demo/tls/cert.pem" 2>/dev/null
fi
cat > "$conf" <<CONF
# Duplex demo: loopback only, unprivileged ports, data under the checkout.
data_dir = $demo/data
control_socket = $demo/control.sock
pid_file = $demo/duplexd.pid
user =
log_level = info
map_size = 4G
imap_listen = 127.0.0.1:10143
imaps_listen = 127.0.0.1:10993
pop3_listen = 127.0.0.1:10110
pop3s_listen = 127.0.0.1:10995
managesieve_listen = 127.0.0.1:14190
lmtp_listen = 127.0.0.1:10024
smtp_listen = 127.0.0.1:10025
submission_listen = 127.0.0.1:10587
submissions_listen = 127.0.0.1:10465
tls_cert = $demo/tls/cert.pem
tls_key = $demo/tls/key.pem
CONF
"$BUILD/duplexd" -c "$conf" -t

password=$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
$ctl domain list | grep -q '^demo.test ' || $ctl domain add demo.test
if $ctl user show demo@demo.test > /dev/null 2>&1; then
	echo "$password" | $ctl user passwd demo@demo.test --password-stdin
else
	echo "$password" | $ctl user add demo@demo.test --quota 1G --password-stdin
	printf 'From: postmaster@demo.test\r\nTo: demo@demo.test\r\nSubject: Welcome to Duplex\r\nMessage-ID: <welcome@demo.test>\r\n\r\nThis message was delivered by duplexctl deliver.\r\n' |
		$ctl deliver demo@demo.test
fi

cat <<INFO

Duplex demo store
  config:    $conf
  data:      $demo/data
  domain:    demo.test
  user:      demo@demo.test
  password:  $password

In another terminal, try:
  $ctl status
  $ctl mailbox list demo@demo.test
  $ctl export mbox demo@demo.test INBOX
  echo 'Subject: hi' | $ctl deliver demo@demo.test
  swaks --server 127.0.0.1:10587 --tls --auth-user demo@demo.test --auth-password $password \\
    --from demo@demo.test --to demo@demo.test      # submission; no relay_host, so mail
                                                   # for other domains stays queued:
  $ctl queue list

Ports (127.0.0.1): IMAP 10143 (STARTTLS), 10993 (TLS); POP3 10110, 10995 (TLS);
LMTP 10024; SMTP 10025; submission 10587 (STARTTLS), 10465 (TLS).

Starting duplexd in the foreground; Ctrl-C stops it.
INFO
exec "$BUILD/duplexd" -c "$conf"

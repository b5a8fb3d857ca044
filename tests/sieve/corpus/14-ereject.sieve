# ereject (RFC 5429). Pigeonhole 0.5.19 does not have ereject.
# oracle: none (Pigeonhole 0.5.19 does not implement ereject)
# msg: plain.eml list.eml
# expect plain.eml: reject "Go away"
# expect list.eml: store "INBOX" flags=
require ["ereject"];
if header :contains "subject" "money" { ereject "Go away"; }

# date with :index on Received (RFC 5260 7 and 4): the date follows the last ';',
# and :index/:last pick the field. Pigeonhole 0.5.19 ignores :index in the date
# test and always takes the first Received field (here 17:30 UTC), so the RFC's
# answer is written out.
# oracle: wrong (Pigeonhole 0.5.19 ignores :index and :last in the date test)
# msg: plain.eml
# expect: store "Last/13:00:00" flags=
# expect: store "Second/13:00:00" flags=
# expect: store "First/17:30:00" flags=
require ["date", "index", "fileinto", "variables"];
if date :index 1 :last :zone "+0000" :matches "received" "time" "*" { fileinto "Last/${1}"; }
if date :index 2 :zone "+0000" :matches "received" "time" "*" { fileinto "Second/${1}"; }
if date :zone "+0000" :matches "received" "time" "*" { fileinto "First/${1}"; }

# i;unicode-casemap (RFC 5051). Pigeonhole 0.5.19 does not have it.
# oracle: none (Pigeonhole 0.5.19 does not implement comparator-i;unicode-casemap)
# msg: japanese.eml plain.eml
# expect japanese.eml: store "Caf" flags=
# expect japanese.eml: store "Jp" flags=
# expect plain.eml: store "Caf" flags=
require ["comparator-i;unicode-casemap", "fileinto", "variables"];
set "s" "CAFÉ";
if string :is :comparator "i;unicode-casemap" "${s}" "café" { fileinto "Caf"; }
if header :contains :comparator "i;unicode-casemap" "subject" "お知らせ" { fileinto "Jp"; }
if header :contains :comparator "i;unicode-casemap" "from" "山田" { stop; }
if header :is :comparator "i;unicode-casemap" "from" "x" { fileinto "Never"; }

# stop, discard, the implicit keep, exists, size, true/false, allof
# msg: plain.eml list.eml multipart.eml
require ["fileinto"];
if exists ["List-Id", "Precedence"] { discard; stop; }
if size :over 1K { fileinto "Big"; }
if size :under 1K { fileinto "Small"; }
if allof (true, not false, exists "Message-ID") { keep; }
if header :is "to" "nobody" { discard; }

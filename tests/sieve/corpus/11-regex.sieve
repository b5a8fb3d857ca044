# regex (draft-ietf-sieve-regex) with match variables
# msg: plain.eml list.eml
require ["regex", "variables", "fileinto"];
if header :regex "subject" "^\\[([a-z]+)\\] (.*)$" { fileinto "Lists/${1}"; }
if address :regex :domain "from" "^(example|lists)\\.(org|com)$" { fileinto "Dom/${2}"; }
if header :regex :comparator "i;octet" "subject" "MAKE" { fileinto "Never"; }

# envelope (RFC 5228 5.4) and subaddress (RFC 5233)
# msg: plain.eml
# to: recipient+lists-sieve@example.com
# from: alice@example.org
require ["envelope", "subaddress", "fileinto"];
if envelope :detail "to" "lists-sieve" { fileinto "Lists/Sieve"; }
if envelope :user :is "to" "recipient" { fileinto "Mine"; }
if envelope :domain "from" "example.org" { fileinto "FromOrg"; }
if address :detail "to" "news" { fileinto "News"; }
if address :user "cc" "carol" { fileinto "Carol"; }
if address :detail "from" "" { fileinto "NoSuchDetail"; }

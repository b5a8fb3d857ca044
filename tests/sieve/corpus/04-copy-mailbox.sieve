# copy (RFC 3894) and mailbox (RFC 5490): :copy keeps the implicit keep, :create
# msg: plain.eml
require ["copy", "fileinto", "mailbox"];
fileinto :copy "Archive";
redirect :copy "archive@example.net";
if mailboxexists "INBOX" { fileinto :create "Created"; }

# RFC 5228 section 9's example, on a personal, a list and a Japanese message
# msg: plain.eml list.eml japanese.eml
require "fileinto";
if header :is "Sender" "owner-ietf-mta-filters@imc.org" {
    fileinto "filter";
} elsif address :DOMAIN :is ["From", "To"] "example.org" {
    keep;
} elsif anyof (NOT address :all :contains ["To", "Cc", "Bcc"] "recipient@example.com",
               header :matches "subject" ["*make*money*fast*", "*university*dipl*mas*"]) {
    fileinto "spam";
} else {
    fileinto "personal";
}

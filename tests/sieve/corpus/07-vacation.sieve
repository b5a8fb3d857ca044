# vacation (RFC 5230) on mail addressed to the recipient: the reply and its default subject
# msg: plain.eml japanese.eml
# to: recipient@example.com
# from: alice@example.org
require "vacation";
vacation :days 7 :addresses ["recipient@example.com"] text:
I am away until Monday.
.
;

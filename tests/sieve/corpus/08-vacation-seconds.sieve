# vacation-seconds (RFC 6131), :subject and :from
# msg: plain.eml
# from: alice@example.org
require ["vacation", "vacation-seconds"];
vacation :seconds 3600 :subject "Out of office: 不在" :from "recipient@example.com" "Back soon";

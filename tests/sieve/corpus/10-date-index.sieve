# date and index (RFC 5260), with fixed zones so that the result does not depend on the host
# msg: plain.eml japanese.eml list.eml
require ["date", "index", "relational", "fileinto", "variables"];
if date :originalzone :is "date" "zone" "+0100" { fileinto "ZonePlus1"; }
if date :zone "+0000" :is "date" "date" "2007-02-27" { fileinto "Feb27Utc"; }
if date :zone "+0000" :value "ge" "date" "hour" "12" { fileinto "AfternoonUtc"; }
if date :zone "-0500" :is "date" "weekday" "5" { fileinto "FridayNY"; }
if date :zone "+0900" :matches "date" "iso8601" "*" { fileinto "Iso/${1}"; }
if header :index 2 :contains "received" "mx2" { fileinto "SecondReceived"; }
if currentdate :zone "+0000" :value "ge" "year" "2020" { fileinto "Now"; }

# relational (RFC 5231) with i;ascii-numeric
# msg: plain.eml list.eml
require ["relational", "comparator-i;ascii-numeric", "fileinto"];
if header :value "lt" :comparator "i;ascii-numeric" "X-Priority" "3" { fileinto "High"; }
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" { fileinto "Spam"; }
if address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] "3" { fileinto "Many"; }
if header :count "eq" :comparator "i;ascii-numeric" "received" "2" { fileinto "TwoHops"; }
if header :value "gt" "subject" "M" { fileinto "AfterM"; }

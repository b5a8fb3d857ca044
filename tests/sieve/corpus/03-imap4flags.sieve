# imap4flags (RFC 5232): the internal variable, named variables, hasflag, :flags
# msg: plain.eml list.eml
require ["imap4flags", "fileinto", "variables", "relational", "comparator-i;ascii-numeric"];
setflag "\\Seen";
addflag ["$Work", "\\Flagged"];
removeflag "\\Seen";
if header :contains "subject" "money" {
    addflag "mine" "$Money";
    fileinto :flags "${mine}" "Money";
}
if hasflag :contains "\\Flagged" { fileinto "Flagged"; }
if hasflag :count "ge" :comparator "i;ascii-numeric" "2" { fileinto "TwoFlags"; }

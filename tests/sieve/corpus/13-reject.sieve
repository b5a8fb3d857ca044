# reject (RFC 5429), with the implicit keep cancelled
# msg: plain.eml list.eml
require ["reject"];
if header :contains "subject" "money" {
    reject "No spam, please.";
}

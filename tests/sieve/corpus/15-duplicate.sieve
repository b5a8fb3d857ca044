# duplicate (RFC 7352): nothing was seen before, so not a duplicate
# msg: plain.eml
require ["duplicate", "fileinto"];
if duplicate { fileinto "Dup"; }
if duplicate :header "X-Priority" :handle "prio" :seconds 60 { discard; }
if not duplicate :uniqueid "abc" { fileinto "New"; }

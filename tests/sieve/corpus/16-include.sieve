# include (RFC 6609): an optional script that does not exist is skipped; return ends the script.
# Pigeonhole needs a sieve directory for :personal, which this test does not set up.
# oracle: none (Pigeonhole needs a configured sieve storage for include)
# msg: plain.eml
# expect: store "Before" flags=
require ["include", "fileinto", "variables"];
global "box";
set "box" "Before";
include :optional :personal "missing";
fileinto "${box}";
return;
fileinto "After";

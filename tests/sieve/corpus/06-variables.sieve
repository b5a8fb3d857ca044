# variables (RFC 5229): match variables, set modifiers, string
# msg: plain.eml list.eml japanese.eml
require ["variables", "fileinto"];
if header :matches "Subject" "*money*" { fileinto "M/${1}/${2}"; }
if header :matches "List-Id" "*<*.lists.*>" { fileinto "Lists/${2}"; }
set "name" "Hello World";
set :lower "lower" "${name}";
set :upperfirst "uf" "${lower}";
set :length "len" "${name}";
set :quotewildcard "qw" "a*b?";
if string :is "${lower}" "hello world" { fileinto "Lower"; }
if string :is "${uf}" "Hello world" { fileinto "UpperFirst"; }
if string :is "${len}" "11" { fileinto "Length"; }
if string :is "${qw}" "a\\*b\\?" { fileinto "Quoted"; }
if address :matches :localpart "from" "*" { fileinto "From/${0}"; }

# encoded-character (RFC 5228 2.4.2.4)
# msg: plain.eml japanese.eml
require ["encoded-character", "fileinto"];
if header :contains "subject" "${hex:4D 61 6B 65}" { fileinto "${unicode:48}ex"; }
if header :contains "subject" "${unicode:65E5 672C}" { fileinto "Nihon"; }

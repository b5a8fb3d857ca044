# reject after fileinto is a run-time error (RFC 5429 2.1): the message is kept
# msg: plain.eml
require ["reject", "fileinto"];
fileinto "Filed";
reject "No thanks.";

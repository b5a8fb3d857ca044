# five redirects exceed the limit of four (sieve_max_redirects, Pigeonhole's
# sieve_max_redirects): a run-time error, and the message is kept
# msg: plain.eml
redirect "a@example.net";
redirect "b@example.net";
redirect "c@example.net";
redirect "d@example.net";
redirect "e@example.net";

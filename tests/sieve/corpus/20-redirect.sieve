# redirect: one action per address, and the implicit keep cancelled
# msg: plain.eml
redirect "a@example.net";
redirect "b@example.net";
redirect "a@example.net";

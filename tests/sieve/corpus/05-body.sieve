# body (RFC 5173): :raw, :text and :content over nested multiparts, encodings and charsets
# msg: multipart.eml plain.eml japanese.eml
require ["body", "fileinto"];
if body :raw :contains "JVBERi0xLjQ" { fileinto "RawBase64"; }
if body :text :contains "missile r\u00e9port" { fileinto "NotThere"; }
if body :contains "missile" { fileinto "Missile"; }
if body :content "text/html" :contains "<b>missile</b>" { fileinto "Html"; }
if body :content "text" :contains "banana" { fileinto "Forwarded"; }
if body :content "application" :contains "secret" { fileinto "Pdf"; }
if body :contains "urgent" { fileinto "Urgent"; }
if body :contains "会議" { fileinto "Meeting"; }

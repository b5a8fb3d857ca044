# RFC 2047 words (UTF-8 and ISO-2022-JP) are decoded before comparing
# msg: japanese.eml plain.eml
require ["fileinto", "variables"];
if header :contains "subject" "日本語" { fileinto "Japanese"; }
if header :matches "from" "*太郎*" { fileinto "Taro"; }
if address :domain "from" "example.jp" { fileinto "Jp"; }
if header :matches "subject" "*の*" { fileinto "Sub/${2}"; }

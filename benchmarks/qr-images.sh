# Sourced by qr-vs-zbarimg.sh and compare.sh: the QR image set both comparisons decode, made
# with qrencode and ImageMagick (not with ZXing, the decoder under test).
#
#   make_qr_images IMGS WORK ROOT [KINDS]
#
# writes into IMGS, for each of the first KINDS (1-4, default 4) otpauth URIs, the code at
# qrencode's default 3 px per module and at 8 px, and a 1080x2340 phone screenshot with the
# 8 px code in the middle; then the first screenshot rotated 90 degrees and as a JPEG of
# quality 70, and a Google Authenticator export (ROOT's test migration URI) on a screenshot.
# WORK holds the intermediate files. Sets the array qr_images to every image, sorted.
# Test keys only (RFC 4226 "12345678901234567890"), never a real one.

make_qr_images() {
  local imgs=$1 work=$2 root=$3 kinds=${4:-4}
  local b32=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
  local b32_32=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA
  local uris=(
    "otpauth://totp/Example:alice@example.com?secret=$b32&issuer=Example"
    "otpauth://totp/Example:bob@example.com?secret=$b32_32&issuer=Example&algorithm=SHA256&digits=8&period=60"
    "otpauth://hotp/Acme:carol?secret=$b32&issuer=Acme&counter=7"
    "otpauth://totp/GitHub:dave?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"
  )
  local i u
  mkdir -p "$imgs" "$work"
  for ((i = 1; i <= kinds; i++)); do
    u="${uris[i - 1]}"
    qrencode -o "$imgs/plain-$i.png" "$u"
    qrencode -s 8 -o "$imgs/large-$i.png" "$u"
    convert -size 1080x2340 xc:white -fill '#3060c0' -draw 'rectangle 0,0 1080,180' \
      -font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf -fill '#202124' -pointsize 40 -annotate +80+400 'Scan this QR code with your app' \
      "$imgs/large-$i.png" -gravity center -composite "$imgs/screenshot-$i.png"
  done
  convert "$imgs/screenshot-1.png" -rotate 90 "$imgs/screenshot-rotated.png"
  convert "$imgs/screenshot-1.png" -quality 70 "$imgs/screenshot-jpeg.jpg"
  qrencode -s 6 -o "$work/export-qr.png" "$(cat "$root/host-cli/src/test/resources/qr/migration.txt")"
  convert -size 1080x2340 xc:'#f1f3f4' "$work/export-qr.png" -gravity center -composite "$imgs/ga-export.png"
  mapfile -t qr_images < <(find "$imgs" -type f | sort)
}

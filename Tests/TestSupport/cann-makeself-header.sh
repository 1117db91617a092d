# A makeself header (for Debian's `makeself --header`) for the tests' stand-in CANN packages:
# Huawei's CANN `.run` files take their own flags (`--install --quiet`) and hand them to the
# package's installer, while upstream makeself's header rejects unknown flags. This stub
# extracts the gzip'd tar after the header and runs ./install.sh with every argument.
# makeself sources this file with SKIP and archname set.
cat << EOF > "$archname"
#! /bin/sh
skip=$((SKIP + 1))
TMPROOT=\${TMPDIR:=/tmp}
tmp=\$(mktemp -d "\$TMPROOT/cann.XXXXXX") || exit 1
if ! tail -n +\$skip "\$0" | gzip -cd | (cd "\$tmp" && tar xf -); then rm -rf "\$tmp"; exit 1; fi
(cd "\$tmp" && ./install.sh "\$@")
status=\$?
rm -rf "\$tmp"
exit \$status
EOF

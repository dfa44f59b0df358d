#!/bin/sh
# warroom.sh: the old warroom syntax, passed on to `helioy-warroom` (bin/helioy-warroom.js of this checkout).
#   warroom.sh                      one general agent per git repo under $HELIOY_BASE (repo mode)
#   warroom.sh NAME "type1 type2"   helioy-warroom spawn NAME --agents "type1 type2"
#   warroom.sh status               helioy-warroom status
#   warroom.sh kill NAME|all        helioy-warroom kill NAME|all
set -eu

# Resolve this script's real path, following symlinks one hop at a time (no readlink -f on macOS).
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
root=$(cd "$(dirname "$self")/../.." && pwd -P)
warroom="$root/bin/helioy-warroom.js"

case ${1-} in
  "") exec node "$warroom" ;;
  status) shift; exec node "$warroom" status "$@" ;;
  kill)
    if [ $# -lt 2 ]; then echo "usage: warroom kill <name|all>" >&2; exit 1; fi
    exec node "$warroom" kill "$2" ;;
  -h|--help|help) exec node "$warroom" --help ;;
  *)
    if [ $# -lt 2 ]; then echo "usage: warroom <name> \"type1 type2 ...\"" >&2; exit 1; fi
    exec node "$warroom" spawn "$1" --agents "$2" ;;
esac

# Code-size budget of the portable core on Cortex-M7 (docs/SIZE.md): the
# measurement prints its table and fails above 8 KiB of .text.
set -uo pipefail
if bash tests/size/measure-core-size.sh build/size; then
  echo "1 passed, 0 failed"
else
  echo "0 passed, 1 failed"
  exit 1
fi

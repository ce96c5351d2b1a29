# Guest instruction counts per operation on the QEMU targets (Cortex-M7
# mps2-an500 and RV32 virt, release -Os), counted by our TCG plugin
# (tests/bench/target/insn_count.c) between the benchmark firmware's markers
# (tests/bench/target/bench_target.c). The counts are deterministic: each is
# compared with its ceiling in tests/bench/target/ceilings.txt, and so are the
# derived figures (per cache line, per set/way operation, zero-copy over copy).
# Prints every figure; fails on any above its ceiling, or missing.
#
# After an improvement, lower the ceilings from build/bench-target/counts.txt
# (same format).
set -uo pipefail
out=build/bench-target
ceilings=tests/bench/target/ceilings.txt
mkdir -p "$out"
fail() { echo "$1"; echo "0 passed, 1 failed"; exit 1; }

gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$out/insn_count.so" tests/bench/target/insn_count.c ||
  fail "build of the insn_count plugin failed"

# count <name> <toolchain file> <plugin watch option> <qemu command...>:
# writes $out/<name>.counts ("<name> <operation> <instructions>", the markers'
# own cost subtracted), $out/<name>.stores ("<name> <operation> <expected>
# <counted>" for the operations whose maintenance stores the firmware states)
# and $out/<name>.writes (per operation whose registers and values it states:
# "<name> <operation> <stores> <registers> <first line|sw:mask>" then each
# maintenance write "w <register offset> <value>" from QEMU's trace).
count() {
  local name=$1 toolchain=firmware/cmake/$2 watch=$3 dir=build/bench-target-$1; shift 3
  if ! cmake -S tests/bench/target -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$PWD/$toolchain" >/dev/null ||
     ! cmake --build "$dir" -j2 >"$dir.build.log" 2>&1; then
    grep -E 'error:|undefined reference' "$dir.build.log" | head -n 20
    fail "--- $name: build failed"
  fi
  local elf=$dir/dmabuf_bench_target.elf begin end
  begin=$(nm "$elf" | awk '$3 == "bench_begin" { print "0x" $1 }')
  end=$(nm "$elf" | awk '$3 == "bench_end" { print "0x" $1 }')
  [[ -n $begin && -n $end ]] || fail "--- $name: no bench_begin/bench_end symbols"
  rm -f "$out/$name.log"
  # nvic_sysreg_write: every write to the System Control Space, with its
  # value, in the same log as the plugin's lines
  timeout 120 "$@" -plugin "$out/insn_count.so,begin=$begin,end=$end$watch" -d plugin -D "$out/$name.log" \
    -trace nvic_sysreg_write -kernel "$elf" </dev/null >"$out/$name.out" 2>&1
  local status=$?
  grep -q '^bench done' "$out/$name.out" && ((status == 0)) ||
    { cat "$out/$name.out"; fail "--- $name: firmware failed (exit status $status)"; }
  local names counts
  names=$(grep -c '^bench ' "$out/$name.out"); counts=$(grep -c '^insns ' "$out/$name.log")
  # "bench done" has no count
  ((names == counts + 1)) || fail "--- $name: $((names - 1)) operations but $counts counts"
  # "bench NAME [STORES]" beside "insns N stores M"
  paste -d' ' <(grep '^bench ' "$out/$name.out" | grep -v '^bench done' | cut -d' ' -f2,3) \
              <(grep '^insns ' "$out/$name.log" | cut -d' ' -f2,4) |
    awk -v target="$name" -v stores="$out/$name.stores" '
      NF == 4 { print target, $1, $2, $4 >stores; $2 = $3 }
      $1 == "empty" { empty = $2; next }
      # a name measured many times (the allocation trace) keeps its worst case
      { n = $2 - empty; if (!($1 in worst)) order[++k] = $1; if (!($1 in worst) || n > worst[$1]) worst[$1] = n }
      END { for (i = 1; i <= k; i++) print target, order[i], worst[order[i]] }' >"$out/$name.counts"
  touch "$out/$name.stores"
  # the k-th begin..insns span of the log is the k-th "bench" line's call;
  # only the cache maintenance registers (0xF50-0xF7B) are kept
  awk -v target="$name" '
    function hex(s,   n, i) { n = 0; s = tolower(s); sub(/^0x/, "", s)
      for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
      return n }
    FNR == NR { if ($1 == "bench" && $2 != "done") { k++; if (NF == 5) want[k] = $2 " " $3 " " $4 " " $5 } next }
    $1 == "begin" { n++; open_ = (n in want); if (open_) print target, want[n]; next }
    $1 == "insns" { open_ = 0; next }
    open_ && /nvic_sysreg_write/ {
      for (i = 1; i <= NF; i++) { if ($i == "addr") a = $(i + 1); if ($i == "data") d = $(i + 1) }
      if (hex(a) >= hex("f50") && hex(a) < hex("f7c")) print "w", substr(a, 3), d
    }' "$out/$name.out" "$out/$name.log" >"$out/$name.writes"
  awk -v target="$name" '$1 == "bench-info" { print target, "info/" $2, $3 }' "$out/$name.out" >>"$out/$name.counts"
}

# The Cortex-M7 SCB cache maintenance registers, 0xE000EF50-0xE000EF78.
count mps2 arm-none-eabi.cmake ,watch=0xE000EF50-0xE000EF7C \
  qemu-system-arm -M mps2-an500 -display none -monitor none -serial none \
  -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0
count virt riscv32-picolibc.cmake '' \
  qemu-system-riscv32 -M virt -display none -monitor none -serial stdio -bios none

# Derived figures: the per-line cost is the slope between 1 and 1025 lines
# (the call's fixed part cancels); a whole-cache pass issues set-way-ops
# writes; zero-copy over copy is per frame of the pipeline's CPU side.
cat "$out"/mps2.counts "$out"/virt.counts | awk '
  { v[$1 " " $2] = $3; print $1, $2, $3; if ($2 ~ /^frames\/kernel\//) kernels[++nk] = $1 " " substr($2, 15) }
  END {
    # frame kernels: per byte written (320x240), and over memcpy per byte
    for (i = 1; i <= nk; i++) {
      split(kernels[i], kn, " "); t = kn[1]; name = kn[2]
      bytes = v[t " info/bytes/frames/" name]; memcpy = v[t " memcpy/320x240"] / 153600
      for (w = 1; w <= 2; w++) {
        what = w == 1 ? "kernel" : "op"
        printf "%s frames/%s/%s/per-byte %.3f\n", t, what, name, v[t " frames/" what "/" name] / bytes
        printf "%s frames/%s/%s/over-memcpy %.3f\n", t, what, name, v[t " frames/" what "/" name] / bytes / memcpy
      }
    }
    # the overlay: over its kernels plus one store per touched line, and
    # over the copy baseline per frame
    split("mps2 virt", ts, " ")
    for (j = 1; j <= 2; j++)
      for (f = 1; f <= 2; f++) {
        t = ts[j]; fr = f == 1 ? "320x240" : "800x480"; z = v[t " overlay/zero-copy/" fr]
        printf "%s overlay/over-unavoidable/%s %.3f\n", t, fr, z / (v[t " overlay/kernels/" fr] + v[t " info/overlay-lines/" fr])
        printf "%s overlay/zero-copy-over-copy/%s %.6f\n", t, fr, z / v[t " pipeline/copy/" fr]
      }

    t = "mps2"
    split("clean clean-poc invalidate", ops, " ")
    for (i = 1; i <= 3; i++)
      printf "%s backend/%s/per-line %.3f\n", t, ops[i],
        (v[t " backend/" ops[i] "/1025-lines"] - v[t " backend/" ops[i] "/1-line"]) / 1024
    n = v[t " info/set-way-ops"]
    printf "%s backend/clean-all/per-op %.3f\n", t, v[t " backend/clean-all"] / n
    printf "%s backend/clean-invalidate-all/per-op %.3f\n", t, v[t " backend/clean-invalidate-all"] / n
    split("mps2 virt", ts, " ")
    for (j = 1; j <= 2; j++)
      for (f = 1; f <= 2; f++) {
        fr = f == 1 ? "320x240" : "800x480"
        printf "%s pipeline/zero-copy-over-copy/%s %.6f\n", ts[j], fr,
          v[ts[j] " pipeline/zero-copy/" fr] / v[ts[j] " pipeline/copy/" fr]
      }
  }' | grep -v ' info/' >"$out/counts.txt"

# Exact maintenance: the stores each stated call made.
cat "$out"/mps2.stores "$out"/virt.stores | awk '
  { verdict = $3 == $4 ? "ok" : "WRONG"; printf "%-52s %12s  stores, expected %8s  %s\n", $1 " " $2, $4, $3, verdict }
  $3 != $4 { bad++ }
  END { printf "%d exact, %d wrong\n", NR - bad, bad }' | tee "$out/stores.txt"
stores_passed=$(tail -n 1 "$out/stores.txt" | cut -d' ' -f1)
stores_failed=$(tail -n 1 "$out/stores.txt" | cut -d' ' -f3)

# Which registers, which values: each write of a stated call went to one of
# its registers, and the values are its lines, each once (the line a value
# names: the register ignores the offset bits 4:0), or distinct set/way words
# within the mask.
cat "$out"/mps2.writes "$out"/virt.writes | awk '
  function hex(s,   n, i) { n = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n }
  function bit(x, b) { return int(x / 2 ^ b) % 2 }
  function verdict() {
    if (!op) return
    bad_ = wrong != "" ? wrong : writes != stores ? "writes " writes : ""
    printf "%-52s %12s  writes to %-8s %s\n", op, writes, regs, bad_ == "" ? "exact" : "WRONG (" bad_ ")"
    if (bad_ == "") good++; else bad++
  }
  $1 != "w" {
    verdict()
    op = $1 " " $2; stores = $3; regs = $4; first = $5; writes = 0; wrong = ""
    split(regs, r, ","); for (i in allowed) delete allowed[i]; for (i in r) allowed[r[i]] = 1
    for (i in seen) delete seen[i]; next
  }
  {
    writes++; v = hex($3)
    if (!($2 in allowed)) wrong = "register " $2
    # keys: the word as written (a number this large would print rounded)
    if (first ~ /^sw:/) { key = tolower($3); mask = hex(substr(first, 4))
      for (b = 0; b < 32; b++) if (bit(v, b) && !bit(mask, b)) wrong = "set/way word " $3 }
    else {
      key = (v - v % 32 - hex(first)) / 32
      if (key < 0 || key >= stores) wrong = "line " $3 " outside the range"
    }
    if (key in seen) wrong = "value " $3 " written twice"; seen[key] = 1
  }
  END { verdict(); printf "%d exact, %d wrong\n", good, bad }' | tee "$out/writes.txt"
writes_passed=$(tail -n 1 "$out/writes.txt" | cut -d' ' -f1)
writes_failed=$(tail -n 1 "$out/writes.txt" | cut -d' ' -f3)

# Compare: every figure needs a ceiling and every ceiling a figure.
awk -v passed="$((stores_passed + writes_passed))" -v failed="$((stores_failed + writes_failed))" '
  FILENAME == ARGV[1] { if ($0 !~ /^#/ && NF == 3) ceiling[$1 " " $2] = $3; next }
  {
    key = $1 " " $2; seen[key] = 1
    if (!(key in ceiling)) { printf "%-52s %12s  no ceiling\n", key, $3; failed++; next }
    verdict = $3 + 0 <= ceiling[key] + 0 ? "ok" : "ABOVE CEILING"
    if (verdict == "ok") passed++; else failed++
    printf "%-52s %12s  ceiling %12s  %s\n", key, $3, ceiling[key], verdict
  }
  END {
    for (key in ceiling) if (!(key in seen)) { printf "%-52s not measured\n", key; failed++ }
    printf "%d passed, %d failed\n", passed, failed
    exit failed != 0
  }' "$ceilings" "$out/counts.txt"

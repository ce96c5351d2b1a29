# Extracts the code blocks of a Markdown file that CI compiles and runs (issue 17):
# every fenced block whose info string starts with `c` or `csharp` becomes OUT/NN.c or
# OUT/NN.cs (NN counts the blocks from 01), and a ```text output block following it (with
# only prose between, no other fenced block) becomes OUT/NN.out, the output the program must
# print; an output block after anything else is an error (exit 1), as is an unterminated block. A block whose info string also says `snippet-skip` is left out, on purpose and
# visibly. OUT/index lists "NN LANGUAGE LINE" per block (LINE: its opening fence).
# Usage: awk -v out=DIR -f extract-blocks.awk README.md
function close_block() {
  if (file != "") close(file)
  file = ""
}
BEGIN { n = 0; in_block = 0; last = "" }
{
  line = $0
  sub(/^[ \t]+/, "", line)
  if (!in_block && line ~ /^```/) {
    info = substr(line, 4)
    split(info, words, /[ \t]+/)
    lang = words[1]
    in_block = 1
    file = ""
    skip = info ~ /(^|[ \t])snippet-skip([ \t]|$)/
    if (!skip && (lang == "c" || lang == "csharp")) {
      n++
      last = sprintf("%02d", n)
      file = out "/" last (lang == "c" ? ".c" : ".cs")
      print last, lang, NR > (out "/index")
    } else if (lang == "text" && info ~ /(^|[ \t])output([ \t]|$)/) {
      # an output claim with no program before it would go unchecked
      if (last == "") { print FILENAME ":" NR ": output block follows no c/csharp block" > "/dev/stderr"; bad = 1 }
      else file = out "/" last ".out"
      last = ""
    } else {
      last = ""
    }
    if (file != "") printf "" > file # an empty block is a file too (an empty output is a claim)
    # the fence's own indentation (list items) is taken off every line of the block
    match($0, /^[ \t]*/)
    indent = RLENGTH
    next
  }
  if (in_block && line ~ /^```[ \t]*$/) {
    in_block = 0
    close_block()
    next
  }
  if (in_block && file != "") print substr($0, indent + 1) > file
}
END {
  if (in_block) { print FILENAME ": unterminated code block" > "/dev/stderr"; bad = 1 }
  exit bad
}

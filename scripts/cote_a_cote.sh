#!/bin/bash
# Runs shell commands alternately in the same loop and prints, for each, the medians of the
# elapsed time, the processor time (user + system) and the peak resident memory, measured by
# /usr/bin/time on the whole process. Output of the commands is thrown away.
#
#   scripts/cote_a_cote.sh 5 "/tmp/avant check --format json $L" "target/release/pronote-companion check --format json $L"
set -u
if [ $# -lt 2 ]; then
  echo "usage : $0 ESSAIS \"commande 1\" [\"commande 2\" …]" >&2
  exit 2
fi
runs=$1
shift
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
declare -a wall cpu mem
for _ in $(seq "$runs"); do
  for i in $(seq 0 $(($# - 1))); do
    command=${*:$((i + 1)):1}
    /usr/bin/time -f "%e %U %S %M" -o "$tmp" bash -c "$command" > /dev/null 2>&1
    read -r e u s m < <(tail -n 1 "$tmp")
    wall[i]="${wall[i]:-} $e"
    cpu[i]="${cpu[i]:-} $(echo "$u + $s" | bc)"
    mem[i]="${mem[i]:-} $m"
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for i in $(seq 0 $(($# - 1))); do
  command=${*:$((i + 1)):1}
  printf '%s\n  temps %s s (%s), processeur %s s, mémoire %s Mo\n' "$command" \
    "$(echo "${wall[i]}" | median)" "${wall[i]# }" "$(echo "${cpu[i]}" | median)" \
    "$(($(echo "${mem[i]}" | median) / 1024))"
done
echo "charge : $(cut -d ' ' -f 1-3 /proc/loadavg)"

# Sourced by the bench scripts: timing helpers.

best() { # best of 3 wall-clock seconds for a command
  local b=999999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
    b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{print ($1 < b) ? $1 : b}')
  done
  echo "$b"
}

after_pause() { # mean wall-clock seconds of 3 runs, each after 3 s idle (a run made once)
  local sum=0
  for _ in 1 2 3; do
    sleep 3
    local s e
    s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
    sum=$(echo "$sum + $e - $s" | bc -l)
  done
  echo "$sum / 3" | bc -l
}

# Sourced by relevance.sh and semantic.sh: sets `bin` to $FAHRAS_BIN when it names a built binary
# (so that a long sweep can run while the sources change), else builds the release binary in
# $CARGO_TARGET_DIR (default target/); and `shared`, `eval_dir` (../shared, or $FAHRAS_SHARED).
shared=${FAHRAS_SHARED:-../shared}
eval_dir=$shared/eval
if [ -n "${FAHRAS_BIN:-}" ]; then
  bin=$FAHRAS_BIN
else
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-$PWD/target}/release/fahras
fi

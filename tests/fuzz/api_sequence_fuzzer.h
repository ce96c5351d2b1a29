/*
 * The API sequence fuzzer's entry point, shared by the libFuzzer build and
 * the corpus replay (replay_main.c), which is an ordinary host test.
 */
#ifndef API_SEQUENCE_FUZZER_H
#define API_SEQUENCE_FUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Called after a divergence has been printed; abort() by default (libFuzzer
 * then saves the input). The replay sets its own to count and go on: it
 * must not return (it longjmps), and the next input starts afresh. */
extern void (*fuzz_divergence_hook)(void);

/* Calls checked since the process started (all inputs). */
extern uint64_t fuzz_calls_checked;

#endif /* API_SEQUENCE_FUZZER_H */

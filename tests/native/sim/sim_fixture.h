/*
 * Fixture of the simulator suites: one simulated SoC over a test board at a
 * time. sim_fixture_soc() frees the previous one first, so a test that fails
 * half-way (the UNIT_* macros return early) leaks nothing: the last one stays
 * reachable from the fixture until the next test replaces it.
 */
#ifndef SIM_FIXTURE_H
#define SIM_FIXTURE_H

#include <stdint.h>

#include "sim.h"
#include "sim/test_board.h"

/* A fresh simulator over the test board with @line-byte lines, @seed. */
struct sim_soc *sim_fixture_soc(uint32_t line, uint64_t seed);

/* CPU view and bus memory of a test region. */
uint8_t *sim_fixture_view(struct sim_soc *soc, uint32_t region);
uint8_t *sim_fixture_bus(struct sim_soc *soc, uint32_t region);

/* Fill @length bytes with the pseudo-random stream of @seed. */
void sim_fixture_fill(uint8_t *bytes, uint32_t length, uint64_t seed);

#endif /* SIM_FIXTURE_H */
